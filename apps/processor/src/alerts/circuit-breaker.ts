/** Consecutive retryable failures after which a sink is left alone for a while (lifecycle §9.4 step 7). */
export const BREAKER_THRESHOLD = 5
/** The original keeps its breaker open 60 s. */
export const BREAKER_OPEN_MS = 60_000

/**
 * A sink's circuit breaker: after `threshold` consecutive retryable failures it opens, and the worker
 * stops calling the sink for `openMs`; then it lets one trial delivery through (half-open), which closes
 * it on success or opens it again on failure. Deliveries wait in the queue meanwhile, spending no attempt.
 */
export class CircuitBreaker {
  private readonly threshold: number
  private readonly openMs: number
  private failures = 0
  private openUntil: number | undefined
  private trial = false

  constructor(options: { readonly threshold: number; readonly openMs: number }) {
    this.threshold = options.threshold
    this.openMs = options.openMs
  }

  /** How many deliveries may be tried now: none while open, one trial once the open time is over. */
  admits(now: number, batch: number): number {
    if (this.openUntil === undefined) return batch
    if (now < this.openUntil) return 0
    this.trial = true
    return 1
  }

  /** Whether deliveries must wait (open, and its open time not over). */
  isOpen(now: number): boolean {
    return this.openUntil !== undefined && now < this.openUntil
  }

  /** When the breaker lets a trial through, while it is open; undefined when closed. */
  reopensAt(): number | undefined {
    return this.openUntil
  }

  succeeded(): void {
    this.failures = 0
    this.openUntil = undefined
    this.trial = false
  }

  /** A failure that says the sink is unwell (an outage, a timeout, a rate limit). True when it opens the breaker. */
  failed(now: number): boolean {
    this.failures++
    if (!this.trial && this.failures < this.threshold) return false
    this.openUntil = now + this.openMs
    this.trial = false
    return true
  }
}
