import { createServer } from 'node:net';
import { describeListenError, type ListenAddress } from '@student-sync/observability';

/**
 * Tries to listen on each address and closes at once, so `npm start` can stop before it starts
 * any process. Returns one line per address that cannot be used, naming the variable to change.
 */
export async function findUnusableAddresses(addresses: readonly ListenAddress[]): Promise<string[]> {
  const problems: string[] = [];
  for (const address of addresses) {
    const error = await tryListen(address.host, address.port);
    if (error === undefined) continue;
    problems.push(describeListenError(error, address) ?? `无法监听 ${address.host}:${address.port} (listen failed): ${error.message}`);
  }
  return problems;
}

function tryListen(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}
