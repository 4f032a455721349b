export * from './app-processes.ts';
export * from './demo-client.ts';
export * from './next-steps.ts';
export * from './free-ports.ts';
