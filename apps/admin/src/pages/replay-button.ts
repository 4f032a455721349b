import { html, type SafeHtml } from './html.ts';

/** Button that previews and then replays the dead letters matching `filter` (see assets/admin.js). */
export function replayButton(filter: Record<string, string | undefined>, label = '重放死信'): SafeHtml {
  const defined = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined && value !== ''));
  return html`<button type="button" class="danger" data-replay="${JSON.stringify(defined)}">${label}</button>`;
}
