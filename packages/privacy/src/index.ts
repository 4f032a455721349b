export * from './keyring.ts';
export * from './mask.ts';
