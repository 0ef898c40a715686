import { Data } from 'effect'
import type { Alert } from './alert.ts'
import type { SinkName } from './alert-config.ts'
import type { AlertRoute } from './alert-route.ts'

/**
 * A delivery that did not go through. `retryable` failures (an outage, a timeout, a rate limit) are tried
 * again with backoff; the others (a refused token, an unknown channel, a 4xx) are dead-lettered at once.
 * The reason never contains a secret: sinks build it from statuses and the service's error codes.
 */
export class AlertDeliveryFailed extends Data.TaggedError('AlertDeliveryFailed')<{
  readonly sink: SinkName
  readonly reason: string
  readonly retryable: boolean
  /** What the service asked to wait (`Retry-After`), if it said. */
  readonly retryAfterMs: number | undefined
}> {
  override get message(): string {
    return `${this.sink}: ${this.reason}`
  }
}

/** Where alerts go: one delivery per call, which resolves once the target has the alert. */
export interface AlertSink {
  readonly name: SinkName
  readonly route: AlertRoute
  readonly deliver: (alert: Alert) => Promise<void>
}

/** Any failure as an AlertDeliveryFailed: an unexpected error (a full disk, a broken connection) is retryable. */
export function deliveryFailureOf(sink: SinkName, error: unknown): AlertDeliveryFailed {
  if (error instanceof AlertDeliveryFailed) return error
  return new AlertDeliveryFailed({
    sink,
    reason: error instanceof Error ? error.message : String(error),
    retryable: true,
    retryAfterMs: undefined,
  })
}
