export { applyPushBatch } from './apply-batch.ts';
export { BatchApplier, type BatchApplierOptions } from './batch-applier.ts';
export { TransactionTimeoutError } from './sql-transaction.ts';
export type { BatchItem, BatchOutcome } from './types.ts';
