import type { FailureCategory } from '@interlock/domain'
import { type TriggerError, triggerError } from '../failure/trigger-error.ts'
import type { Redactor } from '../text/redact-secrets.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'
import { TargetAddressRefused } from './guarded-connector.ts'
import { InvalidOutboundRequest } from './outbound-http.ts'

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** Whether a transport error is a deadline passing (ours, or undici's connect/headers/body timeouts). */
export const isTimeoutError = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'TimeoutError' || TIMEOUT_CODES.has(String((error as { code?: unknown }).code)))

/** A request that can never succeed as configured: a refused address or an invalid URL or method. */
export const isConfigurationError = (error: unknown): boolean =>
  error instanceof TargetAddressRefused || error instanceof InvalidOutboundRequest

/** The category of a failed exchange that got no HTTP answer. */
export const categoryOfTransportError = (error: unknown): FailureCategory =>
  isConfigurationError(error) ? 'PERMANENT' : isTimeoutError(error) ? 'TIMEOUT' : 'TRANSIENT'

/** The category of an HTTP error status: 4xx PERMANENT except 429 (come back later), 5xx TRANSIENT. */
export const categoryOfStatus = (status: number): FailureCategory =>
  status >= 500 || status === 429 ? 'TRANSIENT' : 'PERMANENT'

const describeTransportError = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error)
  if (isTimeoutError(error)) return `no answer in time (${error.message})`
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return `${error.message}${cause}`
}

/** `<prefix>: <cause>` for an exchange that got no answer, classified and redacted. */
export const transportFailure = (
  jobType: string,
  prefix: string,
  error: unknown,
  redact: Redactor,
): TriggerError =>
  triggerError(
    jobType,
    categoryOfTransportError(error),
    redact(`${prefix}: ${sanitizeBody(describeTransportError(error))}`),
  )

/** `<prefix> <code>: <body>` for an error status, with the body sanitised (T4) and redacted. */
export const statusFailure = (
  jobType: string,
  prefix: string,
  status: number,
  body: Uint8Array,
  redact: Redactor,
): TriggerError =>
  triggerError(jobType, categoryOfStatus(status), redact(`${prefix} ${status}: ${sanitizeBody(body)}`))
