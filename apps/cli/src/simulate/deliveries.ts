import { type GeneratedPush } from './batch-writer.ts';
import { Random } from './random.ts';

export interface DeliveryOptions {
  seed: string;
  /** Share of pushes sent a second time with identical bytes, as the platform does after a timeout. */
  resendRatio: number;
  /** Share of pushes delivered late, after newer pushes. */
  delayRatio: number;
  /** Largest number of positions a delayed push or a resend moves back in the stream. */
  maxDisplacement: number;
}

export const DEFAULT_DELIVERY_OPTIONS: Omit<DeliveryOptions, 'seed'> = { resendRatio: 0.02, delayRatio: 0.05, maxDisplacement: 200 };

/**
 * Orders pushes for delivery: mostly in bg_sj order, with some delivered late and some
 * resent. Pushes only move later, and ADDs and re-keys (XH) never move. So every UPDATE
 * finds its student once the pushes before it are applied, and a late push that still
 * uses an old student number exercises the alias look-up.
 */
export function planDeliveries(pushes: readonly GeneratedPush[], options: DeliveryOptions): GeneratedPush[] {
  const random = new Random(`${options.seed}:deliveries`);
  const planned: Array<{ position: number; push: GeneratedPush }> = [];

  pushes.forEach((push, index) => {
    const movable = push.operation === 'UPDATE' && !push.changesStudentNo;
    const delay = movable && random.chance(options.delayRatio) ? random.int(1, options.maxDisplacement) + 0.5 : 0;
    planned.push({ position: index + delay, push });
    if (random.chance(options.resendRatio)) {
      planned.push({ position: index + delay + random.int(0, options.maxDisplacement) + 0.25, push });
    }
  });

  // Array.prototype.sort is stable, so equal positions keep their generation order.
  return planned.sort((a, b) => a.position - b.position).map((entry) => entry.push);
}
