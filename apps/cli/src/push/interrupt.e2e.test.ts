import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../../tests/e2e/service-process.ts';

const pendingResponses: ServerResponse[] = [];
// Accepts every request and never responds, like an ingress that hangs.
const server = createServer((_request, response) => void pendingResponses.push(response));
let url: string;

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1/student-changes`;
});

afterAll(async () => {
  for (const response of pendingResponses) response.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('push interrupted by a signal', () => {
  it('prints the settled results and exits 143', { timeout: 30_000 }, async () => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'apps/cli/bin/student-sync.js'), 'push', 'examples/platform-example.json', '--url', url, '--app-key', 'demo', '--sign-key', 'demo-sign-key-0123'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const deadline = Date.now() + 20_000;
    while (pendingResponses.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pendingResponses.length, stderr).toBe(1);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(143);
    expect(stdout).toContain('共 0 条推送');
    expect(stderr).toContain('已中断 (interrupted by SIGTERM)');
    expect(stderr).toContain('另有 1 条未完成');
  });
});
