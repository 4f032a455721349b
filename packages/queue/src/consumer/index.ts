export * from './attempt-log.ts';
export * from './backoff.ts';
export * from './dead-letter.ts';
export * from './job-data.ts';
