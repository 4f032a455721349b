export * from './names.ts';
export * from './payload.ts';
export * from './backlog.ts';
export * from './connection.ts';
export * from './push-job-data.ts';
export * from './push-queue.ts';
export * from './redis-policy.ts';
export * from './timeout.ts';
