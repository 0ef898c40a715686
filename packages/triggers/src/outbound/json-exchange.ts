import { Effect } from 'effect'
import { type TriggerError, triggerError } from '../failure/trigger-error.ts'
import type { Redactor } from '../text/redact-secrets.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'
import type { OutboundHttp, OutboundRequest } from './outbound-http.ts'
import { statusFailure, transportFailure } from './transport-failure.ts'

/** Default deadline of a job service call (spec §5.3). */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000

/**
 * One JSON call to a job service's REST API (Airflow, Databricks), without retries: no answer,
 * an error status or a body that is not JSON all become classified TriggerErrors named by `prefix`.
 */
export const exchangeJson = (
  http: OutboundHttp,
  jobType: string,
  prefix: string,
  request: OutboundRequest,
  redact: Redactor,
): Effect.Effect<unknown, TriggerError> =>
  Effect.gen(function* () {
    const response = yield* Effect.tryPromise({
      try: (signal) => http.send(request, signal),
      catch: (error) => transportFailure(jobType, `${prefix}: request failed`, error, redact),
    })
    if (response.status >= 400) {
      return yield* statusFailure(
        jobType,
        `${prefix}: returned status`,
        response.status,
        response.body,
        redact,
      )
    }
    const text = new TextDecoder().decode(response.body)
    return yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (error) =>
        triggerError(
          jobType,
          'TRANSIENT',
          redact(
            `${prefix}: parsing response: ${sanitizeBody(error instanceof Error ? error.message : String(error))}`,
          ),
        ),
    })
  })

/** The object an answer holds, or an empty one: fields are then read one by one and checked. */
export const asObject = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
