// Replay buttons carry their filter as JSON in data-replay. The first click runs a dry run and
// shows how many dead letters match; a second button confirms and replays them.
'use strict';

async function postReplay(filter, dryRun) {
  const response = await fetch('/admin/api/dead-letters/replay', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...filter, dryRun }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || `HTTP ${response.status}`);
  return body;
}

function resultArea(button) {
  let area = button.parentElement.querySelector('.replay-result');
  if (!area) {
    area = document.createElement('span');
    area.className = 'replay-result';
    button.after(area);
  }
  area.textContent = '';
  return area;
}

async function onReplayClick(button) {
  const filter = JSON.parse(button.dataset.replay);
  const area = resultArea(button);
  button.disabled = true;
  try {
    const preview = await postReplay(filter, true);
    const count = preview.matched.length;
    if (count === 0) {
      area.textContent = '没有可重放的死信。';
      return;
    }
    area.textContent = `将重放 ${count} 条死信${preview.truncated ? '（仅前一部分）' : ''}。`;
    const confirm = document.createElement('button');
    confirm.className = 'primary';
    confirm.textContent = `确认重放 ${count} 条`;
    confirm.addEventListener('click', () => confirmReplay(confirm, filter, area));
    area.append(' ', confirm);
  } catch (error) {
    area.textContent = `预览失败：${error.message}`;
  } finally {
    button.disabled = false;
  }
}

async function confirmReplay(confirm, filter, area) {
  confirm.disabled = true;
  try {
    const result = await postReplay(filter, false);
    const elsewhere = result.claimedElsewhereIds.length > 0 ? `另有 ${result.claimedElsewhereIds.length} 条正由另一次重放处理。` : '';
    area.textContent = `已重放 ${result.replayedIds.length} 条，失败 ${result.failures.length} 条。${elsewhere}页面即将刷新。`;
    setTimeout(() => window.location.reload(), 1500);
  } catch (error) {
    area.textContent = `重放失败：${error.message}`;
  }
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-replay]');
  if (button) onReplayClick(button);
});
