import type { ChangeView, PushView, StudentView } from '@student-sync/db/students';
import { formatTime, html, pathTo, type SafeHtml } from './html.ts';
import { changeTypeLabel, codeAndName, outcomeLabel, lastErrorLabel, pushStatusLabel } from './labels.ts';

/** Body of the student page: the current record (personal data masked), aliases, changes and pushes. */
export function studentBody(student: StudentView, lookedUp: string): SafeHtml {
  return html`
${student.matchedBy === 'alias' ? html`<p class="notice">学号 ${lookedUp} 是旧学号，该学生现在的学号是 ${student.studentNo}。</p>` : ''}
<section>
<h2>当前记录</h2>
<dl class="record">
  <dt>学号</dt><dd>${student.studentNo}</dd>
  <dt>姓名</dt><dd>${student.name ?? '—'}</dd>
  <dt>考生号</dt><dd>${student.examineeNo ?? '—'}${student.examineeNoIrregular ? html` <span class="flag">格式异常</span>` : ''}</dd>
  <dt>身份证号</dt><dd>${student.idNumberMasked ?? '—'}</dd>
  <dt>班级</dt><dd>${codeAndName(student.classCode, student.className) || '—'}</dd>
  <dt>银行卡号</dt><dd>${student.bankCardMasked ?? '—'}</dd>
  <dt>学籍状态</dt><dd class="status">${codeAndName(student.statusCode, student.statusName) || '—'}</dd>
  <dt>最近变更时间</dt><dd>${formatTime(student.lastChangedAt)}</dd>
  <dt>旧学号</dt><dd>${student.aliases.length > 0 ? student.aliases.map((alias) => alias.studentNo).join('、') : '—'}</dd>
</dl>
</section>
<section>
<h2>变更历史（按变更时间）</h2>
${student.changes.length === 0 ? html`<p>暂无变更记录。</p>` : changeTable(student.changes)}
</section>
<section>
<h2>推送记录（最新在前）</h2>
${pushTable(student.pushes)}
</section>
${student.truncated ? html`<p class="notice">记录过多，只显示了前一部分。</p>` : ''}
`;
}

function changeTable(changes: ChangeView[]): SafeHtml {
  const rows = changes.map(
    (change) => html`<tr>
  <td>${formatTime(change.changedAt)}</td>
  <td>${changeTypeLabel(change.changeType)}</td>
  <td>${codeAndName(change.beforeCode, change.beforeName)}</td>
  <td>${codeAndName(change.afterCode, change.afterName)}</td>
  <td class="outcome-${change.outcome.toLowerCase()}">${outcomeLabel(change.outcome)}</td>
  <td>${change.batchNo ? html`<a href="${pathTo('/admin/batches', change.batchNo)}">${change.batchNo}</a>` : '—'}</td>
</tr>`,
  );
  return html`<table>
<thead><tr><th>变更时间</th><th>类型</th><th>变更前</th><th>变更后</th><th>结果</th><th>批次</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

export function pushTable(pushes: PushView[]): SafeHtml {
  if (pushes.length === 0) return html`<p>暂无推送记录。</p>`;
  const rows = pushes.map(
    (push) => html`<tr>
  <td>${formatTime(push.receivedAt)}</td>
  <td><a href="${pathTo('/admin/students', push.studentNo)}">${push.studentNo}</a></td>
  <td>${push.operation}</td>
  <td>${formatTime(push.changedAt)}</td>
  <td>${push.batchNo ? html`<a href="${pathTo('/admin/batches', push.batchNo)}">${push.batchNo}</a>` : '—'}</td>
  <td>${push.appKey}</td>
  <td class="push-${push.status.toLowerCase()}">${pushStatusLabel(push.status)}</td>
  <td>${push.attempts}</td>
  <td>${push.lastErrorCode ? html`<span title="${push.lastErrorMessage ?? ''}">${lastErrorLabel(push)}</span>` : ''}</td>
</tr>`,
  );
  return html`<table>
<thead><tr><th>接收时间</th><th>学号</th><th>操作</th><th>变更时间</th><th>批次</th><th>app-key</th><th>状态</th><th>尝试次数</th><th>最近错误</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}
