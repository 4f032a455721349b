import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BenchProcess } from './child-process.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-child-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a script that prints `lines` lines, then `ready`, then waits for SIGTERM. */
function script(name: string, body: string): string {
  const file = path.join(dir, `${name}.mjs`);
  writeFileSync(file, `${body}\nprocess.stdout.write('ready\\n');\nsetInterval(() => {}, 1000);\n`);
  return file;
}

describe('BenchProcess output', () => {
  it('finds the line beyond the tail', async () => {
    // 3,000 lines of about 60 bytes: more than the 64 KB tail read at once.
    const entry = script('many', "for (let i = 0; i < 3000; i++) process.stdout.write(`line ${i} ${'x'.repeat(50)}\\n`);\nprocess.stderr.write('半角と全角 混在\\n');");
    const logFile = path.join(dir, 'many.log');
    const child = new BenchProcess('many', entry, {}, logFile);
    try {
      await child.waitForOutput('ready', 10_000);
      const output = child.output();
      expect(output).toContain('line 2999 ');
      expect(output).toContain('半角と全角 混在');
      expect(output).not.toContain('line 0 ');
      expect(output.split('\n').length).toBeLessThanOrEqual(101);
    } finally {
      await child.stop();
    }
    // The process wrote its whole output to the file itself.
    expect(readFileSync(logFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(3002);
  });

  it('reports output of an early exit', async () => {
    const entry = path.join(dir, 'fails.mjs');
    writeFileSync(entry, "process.stderr.write('configuration is wrong\\n');\nprocess.exit(1);\n");
    const child = new BenchProcess('fails', entry, {}, path.join(dir, 'fails.log'));
    await expect(child.waitForOutput('ready', 10_000)).rejects.toThrow(/fails exited before printing "ready"[\s\S]*configuration is wrong/);
    await child.stop();
  });
});
