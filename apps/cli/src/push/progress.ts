import { SingleBar } from 'cli-progress';
import { type PushOutcome } from './send-all.ts';

/** Progress of a send run; a no-op when stderr is not a terminal, so logs and pipes stay clean. */
export interface SendProgress {
  settled(outcome: PushOutcome): void;
  resent(): void;
  stop(): void;
}

export function createSendProgress(total: number, stream: NodeJS.WriteStream = process.stderr): SendProgress {
  if (!stream.isTTY || total === 0) return { settled() {}, resent() {}, stop() {} };

  const bar = new SingleBar({
    stream,
    format: '发送中 [{bar}] {percentage}% | {value}/{total} | 已接受 {accepted} | 未接受 {rejected} | 重发 {resends}',
    hideCursor: true,
    etaBuffer: 200,
  });
  const counts = { accepted: 0, rejected: 0, resends: 0 };
  bar.start(total, 0, counts);

  return {
    settled(outcome) {
      const accepted = outcome.result.kind === 'response' && outcome.result.respCode === '0000';
      if (accepted) counts.accepted += 1;
      else counts.rejected += 1;
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
