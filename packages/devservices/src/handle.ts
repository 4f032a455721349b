import type { Logger } from 'pino';

/** A Redis or PostgreSQL server that responds at `url`, found running or started by this process. */
export interface ServiceHandle {
  readonly service: 'redis' | 'postgres';
  /** The URL the caller passed, unchanged. */
  readonly url: string;
  /** True when this process started the server; `stop()` never stops a server it found running. */
  readonly started: boolean;
  /** Stops the server if this process started it; otherwise does nothing. Safe to call twice. */
  stop(): Promise<void>;
}

export interface EnsureOptions {
  /** Defaults to a readable logger on stderr. */
  log?: Logger;
  /** How long a probe waits for a response before the service counts as absent. */
  probeTimeoutMs?: number;
  /** How long a started server may take to respond (PostgreSQL's first start runs initdb). */
  startTimeoutMs?: number;
  /** Parent folder of the data folders of started servers; defaults to `<repo>/.data`. */
  dataRoot?: string;
}

/** Raised when a service does not respond and cannot be started here. Its message states what to do next. */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
}

export function foundHandle(service: ServiceHandle['service'], url: string): ServiceHandle {
  return { service, url, started: false, stop: async () => {} };
}

/** Wraps an async action so that later calls return the first call's promise. */
export function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}
