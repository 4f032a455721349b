import type { EndToEndResult } from '../end-to-end.ts';
import type { IngressTargetResult } from '../ingress/ingress-phase.ts';
import type { WorkerTargetResult } from '../worker/worker-phase.ts';
import type { BenchSummary } from './summary.ts';

/** Everything one run measured; written as JSON to bench-results/. */
export interface BenchResults {
  startedAt: string;
  smoke: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    node: string;
    /** One-minute load average; other work on the machine skews every figure. */
    loadAverageAtStart: number;
    loadAverageAtEnd: number;
    /** CPU milliseconds of a fixed piece of work (see measureReferenceWork). Lower means a faster machine. */
    referenceWorkMs: number;
  };
  settings: Record<string, number | string | boolean>;
  ingress: IngressTargetResult[];
  worker: WorkerTargetResult[];
  /** Ratios taken within each round and their median over the rounds. */
  summary: BenchSummary;
  endToEnd: EndToEndResult | null;
  /** Redis used_memory in bytes at each point of the run. */
  redisMemory: Array<{ point: string; bytes: number }>;
  /** Peak RSS of the benchmark process itself, which generates the load. */
  harnessPeakRssBytes: number;
}
