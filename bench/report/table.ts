import { textTable } from '../../apps/cli/src/text-table.ts';
import type { BenchResults } from './results.ts';
import type { Spread } from './summary.ts';

/** Formats the results as plain-text tables, one per section. */
export function formatTables(results: BenchResults): string {
  const sections = [
    `student-sync benchmark, ${results.smoke ? 'smoke run (figures not meaningful)' : 'full run'}, ${results.startedAt}`,
    `machine: ${results.machine.cpus} CPUs (${results.machine.cpuModel}), ${mb(results.machine.memoryBytes)} MB RAM, Node ${results.machine.node}, load average ${results.machine.loadAverageAtStart.toFixed(1)} at start, ${results.machine.loadAverageAtEnd.toFixed(1)} at end, reference work ${Math.round(results.machine.referenceWorkMs)} ms CPU`,
    '',
    '(a) ingress at ' + results.settings.connections + ' connections',
    ...ingressTable(results),
    ...overRounds(['ingress vs enqueue', results.summary.ingressVsEnqueue, 2, 'x'], ['ingress p99', results.summary.ingressP99Ms, 0, ' ms']),
    '',
    '(b) workers draining preloaded push jobs',
    ...workerTable(results),
    ...overRounds(['batch vs noop', results.summary.batchVsNoop, 2, 'x'], ['batch', results.summary.batchPushesPerSecond, 0, ' pushes/s']),
    '',
    '(c) end to end: simulated pushes from first request to last applied row',
    ...endToEndTable(results),
    '',
    '(d) Redis used_memory',
    ...textTable([['point', 'MB'], ...results.redisMemory.map((entry) => [entry.point, mb(entry.bytes)])]),
    `harness (load generator) peak RSS: ${mb(results.harnessPeakRssBytes)} MB`,
  ];
  return sections.join('\n');
}

/** A summarised figure: its name, spread, decimals and unit. */
type Summarised = [name: string, spread: Spread | null, digits: number, unit: string];

/** Formats the line under a section's table with the medians over rounds, when there was more than one round. */
function overRounds(...figures: Summarised[]): string[] {
  const measured = figures.filter((figure): figure is [string, Spread, number, string] => figure[1] !== null);
  const rounds = Math.max(0, ...measured.map(([, spread]) => spread.values.length));
  if (rounds < 2) return [];
  const parts = measured.map(([name, spread, digits, unit]) => `${name} median ${fixed(spread.median, digits)}${unit} (${fixed(spread.min, digits)} to ${fixed(spread.max, digits)}${unit})`);
  return [`over ${rounds} rounds: ${parts.join('; ')}`];
}

function ratio(value: number): string {
  return `${fixed(value, 2)}x`;
}

/** Finds the target's row of the same round, which ratios are taken against. */
function sameRound<Row extends { target: string; round: number }>(rows: readonly Row[], target: string, round: number): Row | undefined {
  return rows.find((row) => row.target === target && row.round === round);
}

function ingressTable(results: BenchResults): string[] {
  if (results.ingress.length === 0) return ['(not run)'];
  const rounds = new Set(results.ingress.map((row) => row.round)).size > 1;
  const rows = results.ingress.map((row) => {
    const enqueue = sameRound(results.ingress, 'enqueue', row.round);
    return [
      ...(rounds ? [String(row.round)] : []),
      row.target,
      fixed(row.requestsPerSecond, 0),
      enqueue ? ratio(row.requestsPerSecond / enqueue.requestsPerSecond) : '-',
      fixed(row.p50Ms, 1),
      fixed(row.p99Ms, 1),
      fixed(row.maxMs, 0),
      String(row.requests),
      String(row.non2xx + row.errors + row.timeouts),
      mb(row.peakRssBytes),
      row.serverCpuMicrosPerRequest === null ? '-' : fixed(row.serverCpuMicrosPerRequest, 0),
      row.redisCpuMicrosPerRequest === null ? '-' : fixed(row.redisCpuMicrosPerRequest, 0),
    ];
  });
  return textTable([[...(rounds ? ['round'] : []), 'target', 'req/s', 'vs enqueue', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'failed', 'peak RSS MB', 'CPU µs/req', 'Redis µs/req'], ...rows]);
}

function workerTable(results: BenchResults): string[] {
  if (results.worker.length === 0) return ['(not run)'];
  const rounds = new Set(results.worker.map((row) => row.round)).size > 1;
  const rows = results.worker.map((row) => {
    const noop = sameRound(results.worker, 'noop', row.round);
    return [
      ...(rounds ? [String(row.round)] : []),
      row.target,
      fixed(row.pushesPerSecond, 0),
      noop ? ratio(row.pushesPerSecond / noop.pushesPerSecond) : '-',
      fixed(row.changesPerSecond, 0),
      `${row.finished}/${row.jobs}`,
      String(row.failed),
      fixed(row.durationMs / 1000, 1),
      mb(row.peakRssBytes),
    ];
  });
  return textTable([[...(rounds ? ['round'] : []), 'target', 'pushes/s', 'vs noop', 'changes/s', 'finished', 'failed', 'seconds', 'peak RSS MB'], ...rows]);
}

function endToEndTable(results: BenchResults): string[] {
  const run = results.endToEnd;
  if (!run) return ['(not run)'];
  const rss = Object.entries(run.peakRssBytes).map(([name, bytes]) => `${name} ${mb(bytes)}`).join(', ');
  return textTable([
    ['pushes', 'deliveries', 'rejected', 'send s', 'last row s', 'pushes/s', 'differences', 'peak RSS MB'],
    [String(run.pushes), String(run.deliveries), String(run.rejected), fixed(run.sendMs / 1000, 1), fixed(run.durationMs / 1000, 1), fixed(run.pushesPerSecond, 0), run.complete ? String(run.differences) : 'incomplete', rss],
  ]);
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function mb(bytes: number | null): string {
  return bytes === null || !Number.isFinite(bytes) ? '-' : (bytes / 1_048_576).toFixed(0);
}
