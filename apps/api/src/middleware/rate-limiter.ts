/** Answer of the rate limiter for one request. */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly retryAfterSeconds: number }

/**
 * A token bucket per key (per API token): `burst` requests at once, refilled at `perSecond`. In memory,
 * per API instance: N instances allow N times the rate, which is the price of keeping them stateless.
 */
export class RateLimiter {
  readonly perSecond: number
  private readonly burst: number
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(options: { readonly perSecond: number; readonly burst: number }) {
    this.perSecond = options.perSecond
    this.burst = Math.max(options.burst, 1)
  }

  /** Takes one request's worth from `key`'s bucket at `nowMs`, or says how long until one is there. */
  take(key: string, nowMs: number): RateDecision {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: nowMs }
    const refilled = Math.min(
      this.burst,
      bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * this.perSecond,
    )
    if (refilled >= 1) {
      this.buckets.set(key, { tokens: refilled - 1, at: nowMs })
      return { allowed: true }
    }
    this.buckets.set(key, { tokens: refilled, at: nowMs })
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - refilled) / this.perSecond)) }
  }
}
