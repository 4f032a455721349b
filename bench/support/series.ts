/** Rate samples: seconds since the start and the rate per second over the interval before. */
export type Series = Array<[seconds: number, perSecond: number]>;

const SAMPLE_INTERVAL_MS = 500;

export interface Sampler {
  /** Stops sampling and returns the samples, the last partial interval included. */
  stop(): Series;
}

/** Samples the growth of a counter every 500 ms as a rate per second. */
export function startSampler(count: () => number): Sampler {
  const started = performance.now();
  const series: Series = [];
  let lastCount = count();
  let lastAt = started;
  const sample = () => {
    const now = performance.now();
    const value = count();
    if (now > lastAt) series.push([round((now - started) / 1000), round(((value - lastCount) * 1000) / (now - lastAt))]);
    lastCount = value;
    lastAt = now;
  };
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return series;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
