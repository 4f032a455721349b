import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { BenchResults } from './report/results.ts';
import { REPO_ROOT } from './support/child-process.ts';
import '../tests/support/provided.ts';

/** Upper bound of the smoke run, process starts included. */
const SMOKE_TIMEOUT_MS = 240_000;

describe('benchmark harness', () => {
  let outDir: string | undefined;
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('smoke run covers every section', { timeout: SMOKE_TIMEOUT_MS + 10_000 }, async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'student-sync-bench-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', outDir], {
      cwd: REPO_ROOT,
      env: { ...process.env, BENCH_REDIS_URL: inject('testRedisUrl'), BENCH_DATABASE_URL: inject('testPostgresUrl') },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: SMOKE_TIMEOUT_MS,
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code, output).toBe(0);
    const files = await readdir(outDir);
    const jsonFile = files.find((name) => name.endsWith('.json'));
    expect(files.some((name) => name.endsWith('.html')), files.join(', ')).toBe(true);
    const results = JSON.parse(await readFile(path.join(outDir, jsonFile!), 'utf8')) as BenchResults;
    expect(results.machine.referenceWorkMs).toBeGreaterThan(0);
    // The smoke run measures two rounds, so the summary over rounds is exercised too.
    expect(results.ingress.map((row) => `${row.round} ${row.target}`)).toEqual(['1 bare', '1 sign', '1 enqueue', '1 ingress', '2 bare', '2 sign', '2 enqueue', '2 ingress']);
    expect(results.ingress.every((row) => row.non2xx === 0 && row.errors === 0)).toBe(true);
    expect(results.worker.map((row) => [row.round, row.target, row.complete, row.failed])).toEqual([
      [1, 'noop', true, 0],
      [1, 'single', true, 0],
      [1, 'batch', true, 0],
      [2, 'noop', true, 0],
      [2, 'batch', true, 0],
    ]);
    expect(results.summary.ingressVsEnqueue?.values).toHaveLength(2);
    expect(results.summary.batchVsNoop?.values).toHaveLength(2);
    expect(output).toMatch(/over 2 rounds: ingress vs enqueue median [0-9.]+x \([0-9.]+ to [0-9.]+x\)/);
    expect(output).toMatch(/over 2 rounds: batch vs noop median [0-9.]+x \([0-9.]+ to [0-9.]+x\)/);
    expect(results.endToEnd?.differences).toBe(0);
    expect(results.endToEnd?.complete).toBe(true);
  });
});
