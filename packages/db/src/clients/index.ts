export * from './client-lookup.ts';
export * from './client-store.ts';
export * from './errors.ts';
export { generateSignKey } from './sign-key.ts';
