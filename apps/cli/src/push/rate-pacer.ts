import { setTimeout as sleep } from 'node:timers/promises';

/** Spaces out starts evenly so that at most `perSecond` begin in any second. */
export class RatePacer {
  private readonly intervalMs: number;
  private nextSlotMs = 0;

  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError(`rate must be a positive number, got ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
  }

  async waitForSlot(): Promise<void> {
    const now = performance.now();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + this.intervalMs;
    if (slot > now) await sleep(slot - now);
  }
}
