import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from '../../e2e/service-process.ts';

const START_TIMEOUT_MS = 15_000;

export interface RedisServerOptions {
  /** `yes` for the production setting; the startup-check tests start one without AOF. */
  appendonly: 'yes' | 'no';
  maxmemoryPolicy: string;
}

const DURABLE: RedisServerOptions = { appendonly: 'yes', maxmemoryPolicy: 'noeviction' };

/**
 * A redis-server owned by one test file, on its own port and data folder, so the test can
 * kill and restart it without touching the Redis other tests share. A restart reuses the
 * port and the folder, so the server reloads its append-only file.
 */
export class OwnRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = DURABLE): Promise<OwnRedis> {
    const dir = await mkdtemp(path.join(tmpdir(), 'student-sync-fault-redis-'));
    const server = new OwnRedis(await freePort(), dir, options);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server on its port and folder and waits until it replies to PING, the append-only file loaded. */
  async restart(): Promise<void> {
    if (this.running) throw new Error(`redis-server on port ${this.port} is already running`);
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', ''];
    args.push('--appendonly', this.options.appendonly, '--appendfsync', 'everysec', '--maxmemory-policy', this.options.maxmemoryPolicy);
    this.child = spawn('redis-server', args, { stdio: 'ignore' });
    await this.waitForPong();
  }

  /** Stops the server with `signal`; SIGKILL is a crash, SIGTERM a clean stop that flushes the append-only file. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.child || !this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }

  /** Returns the text of every file the server wrote to its folder (the append-only files), for a scan. */
  async dataFilesText(): Promise<string> {
    const texts: string[] = [];
    for (const entry of await readdir(this.dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) texts.push(await readFile(path.join(entry.parentPath, entry.name), 'latin1'));
    }
    return texts.join('\n');
  }

  async remove(): Promise<void> {
    await this.kill('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }

  private async waitForPong(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`redis-server exited with code ${this.child?.exitCode} before replying on port ${this.port}`);
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        // PING fails with LOADING while the append-only file is read back.
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        await sleep(100);
      } finally {
        probe.disconnect();
      }
    }
    throw new Error(`redis-server did not reply to PING on port ${this.port} within ${START_TIMEOUT_MS} ms`);
  }
}
