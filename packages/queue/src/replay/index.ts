export * from './filter.ts';
export * from './job-ids.ts';
export * from './queued-batch.ts';
export * from './redrive.ts';
export * from './replay.ts';
export * from './select.ts';
