import { textTable } from '../../apps/cli/src/text-table.ts';
import type { BenchResults } from './results.ts';

/** Formats the results as plain-text tables, one per section. */
export function formatTables(results: BenchResults): string {
  const sections = [
    `student-sync benchmark, ${results.smoke ? 'smoke run (figures not meaningful)' : 'full run'}, ${results.startedAt}`,
    `machine: ${results.machine.cpus} CPUs (${results.machine.cpuModel}), ${mb(results.machine.memoryBytes)} MB RAM, Node ${results.machine.node}, load average ${results.machine.loadAverageAtStart.toFixed(1)} at start, ${results.machine.loadAverageAtEnd.toFixed(1)} at end, reference work ${Math.round(results.machine.referenceWorkMs)} ms CPU`,
    '',
    '(a) ingress at ' + results.settings.connections + ' connections',
    ...ingressTable(results),
    '',
    '(b) workers draining preloaded push jobs',
    ...workerTable(results),
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

function ingressTable(results: BenchResults): string[] {
  const enqueue = results.ingress.find((row) => row.target === 'enqueue');
  const rows = results.ingress.map((row) => [
    row.target,
    fixed(row.requestsPerSecond, 0),
    enqueue ? `${fixed(row.requestsPerSecond / enqueue.requestsPerSecond, 2)}x` : '-',
    fixed(row.p50Ms, 1),
    fixed(row.p99Ms, 1),
    fixed(row.maxMs, 0),
    String(row.requests),
    String(row.non2xx + row.errors + row.timeouts),
    mb(row.peakRssBytes),
    row.serverCpuMicrosPerRequest === null ? '-' : fixed(row.serverCpuMicrosPerRequest, 0),
    row.redisCpuMicrosPerRequest === null ? '-' : fixed(row.redisCpuMicrosPerRequest, 0),
  ]);
  return textTable([['target', 'req/s', 'vs enqueue', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'failed', 'peak RSS MB', 'CPU µs/req', 'Redis µs/req'], ...rows]);
}

function workerTable(results: BenchResults): string[] {
  const noop = results.worker.find((row) => row.target === 'noop');
  const rows = results.worker.map((row) => [
    row.target,
    fixed(row.pushesPerSecond, 0),
    noop ? `${fixed(row.pushesPerSecond / noop.pushesPerSecond, 2)}x` : '-',
    fixed(row.changesPerSecond, 0),
    `${row.finished}/${row.jobs}`,
    String(row.failed),
    fixed(row.durationMs / 1000, 1),
    mb(row.peakRssBytes),
  ]);
  return textTable([['target', 'pushes/s', 'vs noop', 'changes/s', 'finished', 'failed', 'seconds', 'peak RSS MB'], ...rows]);
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
