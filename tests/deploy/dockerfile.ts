import { readFileSync } from 'node:fs';

export interface RuntimeStage {
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  exposedPorts: number[];
  healthcheck: string | undefined;
  user: string | undefined;
  /** Variables set with ENV in the stage. */
  environment: Map<string, string>;
}

/**
 * Reads the instructions of a Dockerfile's last stage, which is the image that runs. Only the
 * exec (JSON array) form of ENTRYPOINT and CMD is accepted, because the shell form runs the
 * process under /bin/sh, which does not forward SIGTERM to it.
 */
export function readRuntimeStage(dockerfilePath: string): RuntimeStage {
  const instructions = joinContinuations(readFileSync(dockerfilePath, 'utf8'));
  const lastFrom = instructions.findLastIndex((line) => /^FROM\s/i.test(line));
  const stage = instructions.slice(lastFrom);

  const last = (keyword: string) => stage.findLast((line) => line.toUpperCase().startsWith(`${keyword} `));
  const argumentText = (line: string | undefined) => line?.slice(line.indexOf(' ') + 1).trim();

  return {
    entrypoint: parseExecForm(argumentText(last('ENTRYPOINT'))),
    cmd: parseExecForm(argumentText(last('CMD'))),
    exposedPorts: stage
      .filter((line) => /^EXPOSE\s/i.test(line))
      .flatMap((line) => line.split(/\s+/).slice(1))
      .map((port) => Number(port.replace(/\/(tcp|udp)$/, ''))),
    healthcheck: argumentText(last('HEALTHCHECK')),
    user: argumentText(last('USER')),
    environment: parseEnvInstructions(stage.filter((line) => /^ENV\s/i.test(line))),
  };
}

/** Reads `ENV NAME=value NAME2=value2` lines. Values must be unquoted and contain no spaces. */
function parseEnvInstructions(lines: string[]): Map<string, string> {
  const environment = new Map<string, string>();
  for (const line of lines) {
    for (const pair of line.split(/\s+/).slice(1)) {
      const equals = pair.indexOf('=');
      if (equals > 0) environment.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
  }
  return environment;
}

/** Joins lines ending in a backslash and drops comments and blank lines. */
function joinContinuations(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  return lines;
}

function parseExecForm(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  if (!text.startsWith('[')) throw new Error(`expected the exec form ["program", "arg"], found: ${text}`);
  return JSON.parse(text) as string[];
}
