export * from './handle.ts';
export * from './redis.ts';
export * from './postgres.ts';
export * from './settings.ts';
export { probeRedis, probePostgres, PostgresRejectedError, type ProbeResult } from './probe.ts';
export { loadEnvFile, writeEnvFileFromExample, envFilePath } from './env-file.ts';
export { createToolLogger, type Logger } from './logger.ts';
export { repoRoot, defaultDataRoot, isLoopbackHost, redactUrl, withDatabase } from './url.ts';
