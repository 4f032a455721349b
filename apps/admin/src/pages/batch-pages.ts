import type { ArchiveCounts, BatchListItem, BatchPush, BatchSummary } from '@student-sync/db/batches';
import type { ReplayResult } from '@student-sync/queue/replay';
import { deadLetterTable } from './dead-letters-page.ts';
import { formatTime, html, pathTo, type SafeHtml } from './html.ts';
import { lastErrorLabel, pushStatusLabel } from './labels.ts';
import { replayButton } from './replay-button.ts';

/**
 * Body of the batch list, newest batch first, with a replay button on batches that have dead
 * pushes, and the counts of pushes without a batch number below it.
 */
export function batchListBody(batches: BatchListItem[], unbatched: ArchiveCounts, canReplay: boolean): SafeHtml {
  const table = batches.length === 0 ? html`<p>还没有收到带批次号的推送。</p>` : batchTable(batches, canReplay);
  if (unbatched.total === 0) return table;
  return html`${table}
<p class="unbatched">另有 ${unbatched.total} 条推送没有批次号：已应用 ${unbatched.applied}，重试中 ${unbatched.retrying}，死信 ${unbatched.dead}，已接收待处理 ${unbatched.received}。其中的死信在<a href="/admin/dead-letters">死信</a>页面按 app-key、错误码或时间筛选后重放。</p>`;
}

function batchTable(batches: BatchListItem[], canReplay: boolean): SafeHtml {
  const rows = batches.map(
    (batch) => html`<tr>
  <td><a href="${pathTo('/admin/batches', batch.batchNo)}">${batch.batchNo}</a></td>
  <td class="number">${batch.archive.total}</td>
  <td class="number">${batch.archive.received}</td>
  <td class="number push-applied">${batch.archive.applied}</td>
  <td class="number push-retrying">${batch.archive.retrying}</td>
  <td class="number push-dead">${batch.archive.dead}</td>
  <td>${formatTime(batch.firstReceivedAt)}</td>
  <td>${formatTime(batch.lastReceivedAt)}</td>
  <td>${canReplay && batch.archive.dead > 0 ? replayButton({ batch: batch.batchNo }) : ''}</td>
</tr>`,
  );
  return html`<table>
<thead><tr><th>批次号</th><th class="number">推送</th><th class="number">已接收待处理</th><th class="number">已应用</th><th class="number">重试中</th><th class="number">死信</th><th>首次接收</th><th>最近接收</th><th></th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

export interface BatchPageInput {
  summary: BatchSummary;
  deadLetters: ReplayResult;
  canReplay: boolean;
}

/** Body of one batch: counts, its dead letters with a replay button, and its pushes by student. */
export function batchBody({ summary, deadLetters, canReplay }: BatchPageInput): SafeHtml {
  const { archive, queue } = summary;
  return html`
<div class="counts">
  <div class="count"><strong>${archive.total}</strong>推送</div>
  <div class="count"><strong>${summary.studentCount}</strong>学生</div>
  <div class="count"><strong>${archive.received}</strong>已接收待处理</div>
  <div class="count applied"><strong>${archive.applied}</strong>已应用</div>
  <div class="count retrying"><strong>${archive.retrying}</strong>重试中</div>
  <div class="count dead"><strong>${archive.dead}</strong>死信</div>
  ${queue ? html`<div class="count"><strong>${queue.waiting + queue.delayed + queue.active}${queue.complete ? '' : '+'}</strong>队列中</div>` : ''}
</div>
<p>首次接收 ${formatTime(summary.firstReceivedAt)}，最近接收 ${formatTime(summary.lastReceivedAt)}。</p>
<section>
<h2>死信</h2>
${canReplay && deadLetters.matched.length > 0 ? html`<p>${replayButton({ batch: summary.batchNo }, '重放本批次死信')}</p>` : ''}
${deadLetterTable(deadLetters.matched)}
</section>
<section>
<h2>推送（按变更时间）</h2>
${pushRows(summary.pushes)}
${summary.pushes.length < archive.total ? html`<p class="notice">只列出了前 ${summary.pushes.length} 条推送。</p>` : ''}
</section>
`;
}

function pushRows(pushes: BatchPush[]): SafeHtml {
  if (pushes.length === 0) return html`<p>本批次还没有存档的推送。</p>`;
  const rows = pushes.map(
    (push) => html`<tr>
  <td><a href="${pathTo('/admin/students', push.currentStudentNo ?? push.studentNo)}">${push.studentNo}</a>${push.currentStudentNo ? html` → ${push.currentStudentNo}` : ''}</td>
  <td>${push.operation}</td>
  <td>${formatTime(push.changedAt)}</td>
  <td class="push-${push.status.toLowerCase()}">${pushStatusLabel(push.status)}</td>
  <td class="number">${push.attempts}</td>
  <td>${lastErrorLabel(push)}</td>
</tr>`,
  );
  return html`<table>
<thead><tr><th>学号</th><th>操作</th><th>变更时间</th><th>状态</th><th class="number">尝试次数</th><th>最近错误</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}
