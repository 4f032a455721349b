export * from './logger.ts';
export * from './redact-paths.ts';
