import { sanitizeBody, TargetAddressRefused } from '@interlock/triggers'
import type { SinkName } from './alert-config.ts'
import { AlertDeliveryFailed } from './alert-sink.ts'
import { retryAfterMs } from './retry-delay.ts'

/** Error bodies quoted in a failure reason are cut to this many characters. */
const QUOTED_BODY_CHARACTERS = 200

const refused = (error: unknown): boolean =>
  error instanceof TargetAddressRefused ||
  (error instanceof Error && error.cause instanceof TargetAddressRefused)

/**
 * A call that got no answer: retryable (an outage, a timeout), except a target the SSRF guard refuses,
 * which no retry will reach (T6). The reason names no URL, since URLs may carry secrets.
 */
export function transportFailure(sink: SinkName, error: unknown): AlertDeliveryFailed {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
  const text = error instanceof Error ? `${error.name}: ${error.message}${cause}` : String(error)
  return new AlertDeliveryFailed({
    sink,
    reason: `request failed (${sanitizeBody(text)})`,
    retryable: !refused(error),
    retryAfterMs: undefined,
  })
}

/**
 * An error status: 408, 429 and 5xx are worth retrying (after `Retry-After` when given); any other 4xx
 * will not change by itself.
 */
export function statusFailure(
  sink: SinkName,
  response: {
    readonly status: number
    readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
    readonly body: Uint8Array
  },
  now: number,
): AlertDeliveryFailed {
  const body = sanitizeBody(response.body).slice(0, QUOTED_BODY_CHARACTERS)
  return new AlertDeliveryFailed({
    sink,
    reason: `answered status ${response.status}${body === '' ? '' : `: ${body}`}`,
    retryable: response.status >= 500 || response.status === 429 || response.status === 408,
    retryAfterMs: retryAfterMs(response.headers['retry-after'], now),
  })
}
