import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { isRunning, killOnExit, stopChild } from '../child.ts';

/** One service process of the quickstart: its name (the output prefix) and entry file. */
export interface AppSpec {
  name: string;
  /** A TypeScript entry runs through tsx, a bundle (.mjs) runs with plain node. */
  entry: string;
  /** Node options placed before the entry. */
  nodeArgs?: readonly string[];
}

export interface RunningApp {
  name: string;
  child: ChildProcess;
}

/** Splits the specs into those whose entry file exists and those missing. */
export function partitionApps(specs: AppSpec[], root: string): { present: AppSpec[]; missing: AppSpec[] } {
  const present = specs.filter((spec) => existsSync(path.join(root, spec.entry)));
  const missing = specs.filter((spec) => !present.includes(spec));
  return { present, missing };
}

/**
 * Starts an app, each output line prefixed with `[name]`. The app gets
 * its own process group, so a terminal Ctrl-C reaches it once, through stopApps(), and never
 * twice (a second signal may mean "exit now" to its shutdown handler).
 */
export function startApp(spec: AppSpec, root: string, env: NodeJS.ProcessEnv): RunningApp {
  const loader = spec.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...(spec.nodeArgs ?? []), ...loader, spec.entry], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  prefixLines(child.stdout!, process.stdout, spec.name);
  prefixLines(child.stderr!, process.stderr, spec.name);
  return { name: spec.name, child };
}

function prefixLines(source: NodeJS.ReadableStream, target: NodeJS.WritableStream, name: string): void {
  const prefix = `[${name}] `;
  createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => target.write(prefix + line + '\n'));
}

/** Sends SIGTERM to every running app, then SIGKILL to those still running after `graceMs`. */
export async function stopApps(apps: RunningApp[], graceMs: number, log: Logger): Promise<void> {
  await Promise.all(
    apps.filter((app) => isRunning(app.child)).map(async (app) => {
      const clean = await stopChild(app.child, 'SIGTERM', graceMs);
      if (!clean) log.warn({ app: app.name, graceMs }, '进程未在宽限期内退出，已强制结束 (process did not exit within the grace period, killed)');
    }),
  );
}
