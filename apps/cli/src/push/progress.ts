import { SingleBar } from 'cli-progress';
import { type PushOutcome } from './send-all.ts';
import { type AttemptResult } from './send-push.ts';

/** Milliseconds between status lines when standard error is not a terminal. */
const STATUS_INTERVAL_MS = 10_000;

/**
 * Progress of a send run: a bar on a terminal, otherwise a status line every 10 seconds while
 * the counts change, so a log shows that pushes are being resent and why.
 */
export interface SendProgress {
  settled(outcome: PushOutcome): void;
  resent(result: AttemptResult): void;
  stop(): void;
}

interface Counts {
  accepted: number;
  rejected: number;
  resends: number;
}

/** Creates the progress display of a send run of `total` pushes. */
export function createSendProgress(total: number, stream: NodeJS.WriteStream = process.stderr, intervalMs = STATUS_INTERVAL_MS): SendProgress {
  if (total === 0) return { settled() {}, resent() {}, stop() {} };
  return stream.isTTY ? progressBar(total, stream) : statusLines(total, stream, intervalMs);
}

function progressBar(total: number, stream: NodeJS.WriteStream): SendProgress {
  const bar = new SingleBar({
    stream,
    format: '发送中 [{bar}] {percentage}% | {value}/{total} | 已接受 {accepted} | 未接受 {rejected} | 重发 {resends}',
    hideCursor: true,
    etaBuffer: 200,
  });
  const counts: Counts = { accepted: 0, rejected: 0, resends: 0 };
  bar.start(total, 0, counts);

  return {
    settled(outcome) {
      count(counts, outcome);
      bar.increment(1, counts);
    },
    resent() {
      counts.resends += 1;
      bar.update(counts);
    },
    stop() {
      bar.stop();
    },
  };
}

function statusLines(total: number, stream: NodeJS.WriteStream, intervalMs: number): SendProgress {
  const counts: Counts = { accepted: 0, rejected: 0, resends: 0 };
  let settled = 0;
  let lastCause: string | undefined;
  let written = '';
  const write = () => {
    const line = `发送中 (sending): ${settled}/${total}, 已接受 ${counts.accepted}, 未接受 ${counts.rejected}, 重发 ${counts.resends}${lastCause ? `, 最近一次重发原因 (last resend cause): ${lastCause}` : ''}`;
    if (line === written) return;
    written = line;
    stream.write(`${line}\n`);
  };
  const timer = setInterval(write, intervalMs);
  timer.unref();

  return {
    settled(outcome) {
      settled += 1;
      count(counts, outcome);
    },
    resent(result) {
      counts.resends += 1;
      lastCause = result.kind === 'failed' ? result.message : `HTTP ${result.httpStatus} ${result.respCode} ${result.respMsg}`;
    },
    stop() {
      clearInterval(timer);
    },
  };
}

function count(counts: Counts, outcome: PushOutcome): void {
  const accepted = outcome.result.kind === 'response' && outcome.result.respCode === '0000';
  if (accepted) counts.accepted += 1;
  else counts.rejected += 1;
}
