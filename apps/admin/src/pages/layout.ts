import type { FastifyReply } from 'fastify';
import type { AdminRole } from '../auth/credentials.ts';
import { html, type SafeHtml } from './html.ts';

/** Scripts and styles come only from the console itself; no inline script runs. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface PageOptions {
  title: string;
  role: AdminRole | null;
  body: SafeHtml;
}

/** Wraps a page body in the console's layout with navigation and the signed-in role. */
export function renderPage(options: PageOptions): SafeHtml {
  const roleLabel = options.role === 'operator' ? '运维 (operator)' : '只读 (read-only)';
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · 学生同步管理</title>
<link rel="stylesheet" href="/admin/assets/admin.css">
<script src="/admin/assets/admin.js" defer></script>
</head>
<body data-role="${options.role ?? ''}">
<header>
  <strong>学生同步管理</strong>
  <nav>
    <a href="/admin/batches">批次</a>
    <a href="/admin/dead-letters">死信</a>
    <a href="/admin/queues">队列 (Bull Board)</a>
    <a href="/metrics">指标</a>
  </nav>
  <form class="search" method="get" action="/admin/students">
    <input name="xh" placeholder="学号（含旧学号）" required aria-label="学号">
    <button type="submit">查询学生</button>
  </form>
  <span class="role">当前身份：${roleLabel}</span>
</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>
`;
}

/** Sends a rendered page with the console's security headers. */
export function sendPage(reply: FastifyReply, page: SafeHtml, statusCode = 200): FastifyReply {
  return reply
    .code(statusCode)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(page.value);
}
