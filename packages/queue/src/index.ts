export * from './names.ts';
export * from './payload.ts';
