import { SingleBar } from 'cli-progress';

/** Progress bar of a replay or re-drive. It draws nothing when stderr is not a terminal, so pipes stay clean. */
export interface MoveProgress {
  update(progress: { done: number; total: number; failed: number }): void;
  stop(): void;
}

export function createMoveProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): MoveProgress {
  if (!stream.isTTY || total === 0) return { update() {}, stop() {} };

  const bar = new SingleBar({ stream, format: `${label} [{bar}] {percentage}% | {value}/{total} | 失败 {failed}`, hideCursor: true });
  bar.start(total, 0, { failed: 0 });
  return {
    update({ done, failed }) {
      bar.update(done, { failed });
    },
    stop() {
      bar.stop();
    },
  };
}
