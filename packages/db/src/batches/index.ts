export { countBatchPushes, readBatchPushes } from './archived.ts';
export { type BatchListItem, countUnbatchedPushes, listBatches, type ListBatchesOptions } from './list.ts';
export { markRequeued } from './requeue.ts';
export type { ArchiveCounts } from './status-counts.ts';
export { type BatchPush, type BatchSummary, type BatchSummaryOptions, getBatchSummary, isUnknownBatch, type QueueCounts } from './summary.ts';
