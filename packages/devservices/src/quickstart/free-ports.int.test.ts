import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnusableAddresses } from './free-ports.ts';

let busy: Server;
let busyPort: number;

beforeAll(async () => {
  busy = createServer().listen({ host: '127.0.0.1', port: 0 });
  await once(busy, 'listening');
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(() => {
  busy?.close();
});

describe('findUnusableAddresses', () => {
  it('names the variable of a busy port', async () => {
    const problems = await findUnusableAddresses([{ host: '127.0.0.1', port: busyPort, hostVariable: 'INGRESS_HOST', portVariable: 'INGRESS_PORT' }]);
    expect(problems).toEqual([`端口 127.0.0.1:${busyPort} 已被占用 (address in use): 请停止占用它的进程, 或把 INGRESS_PORT 改为空闲端口`]);
  });

  it('passes a free port and leaves it free', async () => {
    const probe = createServer().listen({ host: '127.0.0.1', port: 0 });
    await once(probe, 'listening');
    const freePort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));

    expect(await findUnusableAddresses([{ host: '127.0.0.1', port: freePort, hostVariable: 'ADMIN_HOST', portVariable: 'ADMIN_PORT' }])).toEqual([]);
    const again = createServer().listen({ host: '127.0.0.1', port: freePort });
    await once(again, 'listening');
    again.close();
  });

  it('names the host variable of an address the machine lacks', async () => {
    // 192.0.2.1 is reserved for documentation (RFC 5737), so no interface of a test machine has it.
    const problems = await findUnusableAddresses([{ host: '192.0.2.1', port: 8080, hostVariable: 'ADMIN_HOST', portVariable: 'ADMIN_PORT' }]);
    expect(problems).toEqual(['本机没有地址 192.0.2.1 (address not available): 请检查 ADMIN_HOST']);
  });
});
