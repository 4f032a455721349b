export * from './client-store.ts';
export * from './errors.ts';
export { generateSignKey } from './sign-key.ts';
