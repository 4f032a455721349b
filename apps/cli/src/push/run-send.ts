import { hash } from 'node:crypto';
import { type SenderOptions } from '../commands/option-parsers.ts';
import { createSendProgress } from './progress.ts';
import { type PushOutcome, sendAll } from './send-all.ts';
import { allAccepted, formatSummary, summarize, type SendSummary } from './summary.ts';
import { resolveTarget } from './target.ts';

/** First resend delay; it doubles per attempt up to the cap below. */
const BASE_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 8_000;

/**
 * Sends bodies with the command-line options, showing a progress bar on a terminal. Prints
 * the summary table to standard output and returns it.
 */
export async function runSend(bodies: Buffer[], options: SenderOptions): Promise<SendSummary> {
  const target = await resolveTarget(options);
  process.stderr.write(`发送 ${bodies.length} 条推送到 ${target.url} (app-key ${target.appKey}, ${target.scheme})\n`);

  const progress = createSendProgress(bodies.length);
  const started = performance.now();
  const settled: PushOutcome[] = [];
  // An interrupted run still prints the results it has, so the operator sees which pushes got 0000.
  const interrupt = (signal: NodeJS.Signals) => {
    progress.stop();
    process.stdout.write(`${formatSummary(summarize(settled, performance.now() - started))}\n`);
    process.stderr.write(
      `已中断 (interrupted by ${signal}): 上表只含已有结果的 ${settled.length} 条, 另有 ${bodies.length - settled.length} 条未完成; ` +
        `正在发送的请求可能已被接收, 重发同一推送是安全的 (the other pushes have no result, and resending them is safe)\n`,
    );
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  let outcomes: PushOutcome[];
  try {
    outcomes = await sendAll(bodies, {
      target,
      concurrency: options.concurrency,
      maxAttempts: options.maxAttempts,
      ratePerSecond: options.rate,
      timeoutMs: options.timeoutMs,
      baseBackoffMs: BASE_BACKOFF_MS,
      maxBackoffMs: MAX_BACKOFF_MS,
      onSettled: (outcome) => {
        settled.push(outcome);
        progress.settled(outcome);
      },
      onResend: (result) => progress.resent(result),
    });
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    progress.stop();
  }

  const distinct = new Set(bodies.map((body) => hash('sha256', body, 'base64'))).size;
  const summary = summarize(outcomes, performance.now() - started, distinct);
  process.stdout.write(`${formatSummary(summary)}\n`);
  return summary;
}

/** Exit status of a send: 0 when every push was accepted with a valid response signature. */
export function sendExitCode(summary: SendSummary): number {
  return allAccepted(summary) ? 0 : 1;
}
