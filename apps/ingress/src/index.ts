export { buildApp, type IngressDeps, type IngressSettings } from './app.ts';
export { CachedClientDirectory } from './client-cache.ts';
