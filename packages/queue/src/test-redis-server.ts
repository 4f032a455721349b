import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A redis-server started by a test, so the test can stop it without touching the shared one. */
export interface ThrowawayRedis {
  url: string;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

export interface ThrowawayRedisOptions {
  appendonly?: 'yes' | 'no';
  maxmemoryPolicy?: string;
}

const START_TIMEOUT_MS = 10_000;

/** Starts redis-server on a random loopback port with its own temporary folder. */
export async function startThrowawayRedis(options: ThrowawayRedisOptions = {}): Promise<ThrowawayRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'student-sync-redis-'));
  const port = 20_000 + Math.floor(Math.random() * 40_000);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  args.push('--appendonly', options.appendonly ?? 'yes', '--maxmemory-policy', options.maxmemoryPolicy ?? 'noeviction');
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;

  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilAnswering(url, child);
  } catch (error) {
    await kill();
    throw error;
  }
  return { url, kill };
}

async function waitUntilAnswering(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode} before accepting connections at ${url}`);
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch {
      await sleep(100);
    } finally {
      probe.disconnect();
    }
  }
  throw new Error(`redis-server did not reply to PING at ${url} within ${START_TIMEOUT_MS} ms`);
}
