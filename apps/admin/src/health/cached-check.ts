/**
 * Reuses the result of an expensive check for `ttlMs`, failures included, and shares one
 * run among concurrent callers.
 */
export class CachedCheck<T> {
  private result: { value: Promise<T>; at: number } | undefined;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.result === undefined || this.now() - this.result.at >= this.ttlMs) {
      this.result = { value: this.run(), at: this.now() };
    }
    return this.result.value;
  }
}
