export * from './push-body.ts';
export * from './push-stream.ts';
export * from './deliver.ts';
