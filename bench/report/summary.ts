import type { IngressTargetResult } from '../ingress/ingress-phase.ts';
import type { WorkerTargetResult } from '../worker/worker-phase.ts';

/** A figure measured once per round: its median and range over the rounds. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** One value per round that measured it, in round order. */
  values: number[];
}

/** The figures the targets are judged by, each taken within a round, then summarised over rounds. */
export interface BenchSummary {
  ingressVsEnqueue: Spread | null;
  ingressP99Ms: Spread | null;
  batchVsNoop: Spread | null;
  batchPushesPerSecond: Spread | null;
}

/** Summarises the rounds of sections (a) and (b). A figure is null when no round measured it. */
export function summarise(ingress: readonly IngressTargetResult[], worker: readonly WorkerTargetResult[]): BenchSummary {
  return {
    ingressVsEnqueue: spread(ratiosByRound(ingress, 'ingress', 'enqueue', (row) => row.requestsPerSecond)),
    ingressP99Ms: spread(ingress.filter((row) => row.target === 'ingress').map((row) => row.p99Ms)),
    batchVsNoop: spread(ratiosByRound(worker, 'batch', 'noop', (row) => row.pushesPerSecond)),
    batchPushesPerSecond: spread(worker.filter((row) => row.target === 'batch').map((row) => row.pushesPerSecond)),
  };
}

/** Divides the target's figure by the reference's figure of the same round, for each round that has both. */
export function ratiosByRound<Row extends { target: string; round: number }>(rows: readonly Row[], target: string, reference: string, figure: (row: Row) => number): number[] {
  const ratios: number[] = [];
  for (const row of rows) {
    if (row.target !== target) continue;
    const base = rows.find((other) => other.target === reference && other.round === row.round);
    if (base === undefined) continue;
    const ratio = figure(row) / figure(base);
    if (Number.isFinite(ratio)) ratios.push(ratio);
  }
  return ratios;
}

/** Returns the median, minimum and maximum of the finite values, or null when there are none. */
export function spread(values: readonly number[]): Spread | null {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return null;
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, values: finite };
}
