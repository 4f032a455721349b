export * from './logger.ts';
export * from './redact.ts';
export * from './metrics-registry.ts';
export * from './metrics-ingress.ts';
export * from './metrics-worker.ts';
export * from './metrics-queue.ts';
export * from './metrics-text.ts';
export * from './shutdown.ts';
