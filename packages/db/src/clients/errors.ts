/** Raised by the client store for a request an operator can fix; the message is Chinese first. */
export class ClientStoreError extends Error {
  override readonly name = 'ClientStoreError';

  constructor(
    readonly reason: 'invalid-app-key' | 'invalid-name' | 'invalid-grace' | 'exists' | 'not-found' | 'concurrent-change',
    message: string,
  ) {
    super(message);
  }
}

export function clientNotFound(appKey: string): ClientStoreError {
  return new ClientStoreError('not-found', `找不到 app-key "${appKey}" (no client has this app-key). 用 student-sync clients list 查看已有客户端 (clients list shows them)`);
}
