import { failureKindLabel } from '@student-sync/domain/errors';
import type { DeadLetterSummary, ReplayResult } from '@student-sync/queue/replay';
import type { DeadLetterQuery } from '../dead-letters/filter-schema.ts';
import { formatTime, html, pathTo, type SafeHtml } from './html.ts';
import { replayButton } from './replay-button.ts';

export interface DeadLettersPageInput {
  query: DeadLetterQuery;
  result: ReplayResult;
  canReplay: boolean;
}

/** Body of the dead-letter page: filter form, replay button and the matching dead letters. */
export function deadLettersBody({ query, result, canReplay }: DeadLettersPageInput): SafeHtml {
  const filter = { batch: query.batch, appKey: query.appKey, errorCode: query.errorCode, from: query.from, to: query.to };
  return html`
${filterForm(query)}
<p>共 ${result.matched.length} 条${result.truncated ? '（仅显示前一部分）' : ''}。
${canReplay && result.matched.length > 0 ? replayButton(filter, '重放以上筛选的死信') : ''}</p>
${result.invalidIds.length > 0 ? html`<p class="notice">${result.invalidIds.length} 条死信数据无效，不会被重放：${result.invalidIds.join(', ')}</p>` : ''}
${deadLetterTable(result.matched)}
`;
}

export function deadLetterTable(letters: DeadLetterSummary[]): SafeHtml {
  if (letters.length === 0) return html`<p>没有符合条件的死信。</p>`;
  const rows = letters.map(
    (letter) => html`<tr>
  <td>${formatTime(letter.lastFailedAt)}</td>
  <td>${letter.batchNo ? html`<a href="${pathTo('/admin/batches', letter.batchNo)}">${letter.batchNo}</a>` : '—'}</td>
  <td><a href="${pathTo('/admin/students', letter.studentNo)}">${letter.studentNo}</a></td>
  <td>${letter.appKey}</td>
  <td class="dead-count">${letter.errorCode}</td>
  <td>${failureKindLabel(letter.reason)}</td>
  <td>${letter.errorMessage}</td>
  <td class="number">${letter.attemptsMade}</td>
  <td><code>${letter.id}</code></td>
</tr>`,
  );
  return html`<table>
<thead><tr><th>最后失败时间</th><th>批次</th><th>学号</th><th>app-key</th><th>错误码</th><th>原因</th><th>错误信息</th><th class="number">尝试次数</th><th>任务 ID</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** Body of the dead-letter page when a filter is invalid: the form as submitted, and what to fix. */
export function invalidFilterBody(query: DeadLetterQuery, message: string): SafeHtml {
  return html`
${filterForm(query)}
<p class="error">筛选条件无效 (invalid filter): ${message}</p>
`;
}

/** Renders the filter form. Its labels name the API's fields too, because error messages name them. */
function filterForm(query: DeadLetterQuery): SafeHtml {
  return html`<form class="filters" method="get" action="/admin/dead-letters">
  <label>批次号 (batch)<input name="batch" value="${query.batch ?? ''}"></label>
  <label>app-key (appKey)<input name="appKey" value="${query.appKey ?? ''}"></label>
  <label>错误码 (errorCode)<input name="errorCode" value="${query.errorCode ?? ''}"></label>
  <label>起始时间 (from, 北京时间 yyyyMMddHHmmss, 或带时区的 ISO 8601)<input name="from" value="${query.from ?? ''}" placeholder="20240901000000"></label>
  <label>截止时间 (to, 格式同上)<input name="to" value="${query.to ?? ''}"></label>
  <button type="submit">筛选</button>
</form>`;
}
