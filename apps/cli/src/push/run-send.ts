import { hash } from 'node:crypto';
import { type SenderOptions } from '../commands/option-parsers.ts';
import { createSendProgress } from './progress.ts';
import { sendAll } from './send-all.ts';
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
  const outcomes = await sendAll(bodies, {
    target,
    concurrency: options.concurrency,
    maxAttempts: options.maxAttempts,
    ratePerSecond: options.rate,
    timeoutMs: options.timeoutMs,
    baseBackoffMs: BASE_BACKOFF_MS,
    maxBackoffMs: MAX_BACKOFF_MS,
    onSettled: (outcome) => progress.settled(outcome),
    onResend: (result) => progress.resent(result),
  });
  progress.stop();

  const distinct = new Set(bodies.map((body) => hash('sha256', body, 'base64'))).size;
  const summary = summarize(outcomes, performance.now() - started, distinct);
  process.stdout.write(`${formatSummary(summary)}\n`);
  return summary;
}

/** Exit status of a send: 0 when every push was accepted with a valid response signature. */
export function sendExitCode(summary: SendSummary): number {
  return allAccepted(summary) ? 0 : 1;
}
