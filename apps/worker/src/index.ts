export { buildWorker, type PushWorker, type PushWorkerDependencies, type WorkerSettings } from './build-worker.ts';
export { createPushProcessor, type ProcessorDependencies, type PushJobResult } from './process-push.ts';
