import type { RetryPolicy } from './alert-config.ts'

/**
 * How long to wait after the `failures`-th failed delivery: the base delay doubled per further failure,
 * at least what the service asked for (`Retry-After`), never more than the policy's maximum.
 */
export function retryDelayMs(policy: RetryPolicy, failures: number, retryAfterMs?: number): number {
  const backoff = policy.baseDelayMs * 2 ** Math.max(0, failures - 1)
  return Math.min(policy.maxDelayMs, Math.max(backoff, retryAfterMs ?? 0))
}

/** A `Retry-After` header in milliseconds: delay-seconds, or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | ReadonlyArray<string> | undefined,
  now: number,
): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (typeof value !== 'string' || value.trim() === '') return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
