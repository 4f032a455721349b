import type { Series } from '../support/series.ts';
import type { BenchResults } from './results.ts';

interface Chart {
  title: string;
  unit: string;
  /** `group` picks the colour, so every round of a target has the same one. Later rounds are dashed. */
  lines: Array<{ name: string; group: number; round: number; series: Series }>;
}

const WIDTH = 720;
const MIN_HEIGHT = 260;
const LEGEND_STEP = 14;
const MARGIN = { left: 60, right: 130, top: 30, bottom: 35 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3'];

/** Renders throughput over time as a self-contained HTML page with inline SVG charts. */
export function renderPlotPage(results: BenchResults): string {
  const charts: Chart[] = [
    { title: 'Ingress: responses per second', unit: 'req/s', lines: roundLines(results.ingress) },
    { title: 'Workers: finished push jobs per second', unit: 'jobs/s', lines: roundLines(results.worker) },
    {
      title: 'End to end: responses and finished push jobs per second',
      unit: 'per second',
      lines: results.endToEnd
        ? [
            { name: 'responses', group: 0, round: 1, series: results.endToEnd.responseSeries },
            { name: 'finished jobs', group: 1, round: 1, series: results.endToEnd.series },
          ]
        : [],
    },
  ];
  const body = charts.map(renderChart).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>student-sync benchmark ${escape(results.startedAt)}</title>
<style>body{font-family:sans-serif;margin:24px}svg{display:block;margin-bottom:24px}text{font-size:12px}</style></head>
<body><h1>student-sync benchmark</h1><p>${escape(results.startedAt)}${results.smoke ? ' (smoke run, figures not meaningful)' : ''}, ${results.machine.cpus} CPUs, ${escape(results.machine.cpuModel)}</p>
${body}
</body></html>
`;
}

/** Makes one line per target and round, named with the round only when there is more than one. */
function roundLines(rows: ReadonlyArray<{ target: string; round: number; series: Series }>): Chart['lines'] {
  const targets = [...new Set(rows.map((row) => row.target))];
  const rounds = new Set(rows.map((row) => row.round)).size > 1;
  return rows.map((row) => ({ name: rounds ? `${row.target} #${row.round}` : row.target, group: targets.indexOf(row.target), round: row.round, series: row.series }));
}

function renderChart(chart: Chart): string {
  const points = chart.lines.flatMap((line) => line.series);
  const maxX = Math.max(1, ...points.map(([x]) => x));
  const maxY = Math.max(1, ...points.map(([, y]) => y)) * 1.1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  // Taller than the minimum only when the legend needs it, as with many rounds.
  const height = Math.max(MIN_HEIGHT, MARGIN.top + LEGEND_STEP * chart.lines.length + MARGIN.bottom);
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => MARGIN.left + (value / maxX) * plotWidth;
  const y = (value: number) => MARGIN.top + plotHeight - (value / maxY) * plotHeight;

  const paths = chart.lines.map((line, index) => {
    const color = COLORS[line.group % COLORS.length]!;
    const dash = DASHES[(line.round - 1) % DASHES.length]!;
    const d = line.series.map(([sx, sy], point) => `${point === 0 ? 'M' : 'L'}${x(sx).toFixed(1)},${y(sy).toFixed(1)}`).join(' ');
    const legendY = MARGIN.top + LEGEND_STEP * index;
    return `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
      `<text x="${WIDTH - MARGIN.right + 10}" y="${legendY + 4}" fill="${color}">${escape(line.name)}</text>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const value = (maxY / 1.1) * share;
    return `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end">${Math.round(value)}</text>` +
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" role="img" aria-label="${escape(chart.title)}">
<text x="${MARGIN.left}" y="18" font-weight="bold">${escape(chart.title)} (${escape(chart.unit)})</text>
${ticks.join('')}
<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>
<text x="${MARGIN.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle">seconds since the start of each run (0 to ${maxX.toFixed(1)})</text>
${paths.join('\n')}
</svg>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);
}
