export * from './parse-env.ts';
export * from './common.ts';
