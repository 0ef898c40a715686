import type { HttpJobConfig } from '@interlock/domain'
import { Duration, Effect } from 'effect'
import { type TriggerError, triggerError } from '../failure/trigger-error.ts'
import { asObject } from '../outbound/json-exchange.ts'
import type { OutboundHttp, OutboundResponse } from '../outbound/outbound-http.ts'
import { requestHeaders } from '../outbound/request-headers.ts'
import { isConfigurationError, statusFailure, transportFailure } from '../outbound/transport-failure.ts'
import type { InterlockEnvironment } from '../text/env-expansion.ts'
import { expandJobText } from '../text/expand-job-text.ts'
import { makeRedactor } from '../text/redact-secrets.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'
import { parDay, type RunContext, renderTemplate, splitPeriod } from '../text/template-variables.ts'
import { NON_POLLING, running, type Trigger } from '../trigger.ts'

/** In-process attempts of one HTTP start (ruling T4): network errors and 5xx are tried again, 4xx never. */
export const HTTP_ATTEMPTS = 3
const RETRY_BASE_DELAY_MS = 200
const RETRY_MAX_DELAY_MS = 2_000
const RETRY_JITTER = 0.3
const DEFAULT_TIMEOUT_SECONDS = 30
/** Fields of a JSON answer that may name the run the call started, in order of preference. */
const RUN_ID_FIELDS = ['runId', 'run_id', 'jobRunId', 'executionArn', 'id']

export interface HttpTriggerDependencies {
  readonly http: OutboundHttp
  readonly environment: InterlockEnvironment
  /** Waits between attempts; `Effect.sleep` unless a test records the delays instead. */
  readonly sleep?: (delay: Duration.Duration) => Effect.Effect<void>
  /** Uniform in [0, 1); the jitter of the retry delays. */
  readonly random?: () => number
  /** Deadline of a request whose config sets no `timeout`; 30 s unless the app or a test sets another. */
  readonly defaultTimeoutMs?: number
}

/** The delay before retry `n` (0-based): 200 ms × 2ⁿ, at most 2 s, ±30 % (spec §5.10). */
export const retryDelayMs = (retry: number, random: number): number =>
  Math.min(RETRY_BASE_DELAY_MS * 2 ** retry, RETRY_MAX_DELAY_MS) *
  (1 - RETRY_JITTER + 2 * RETRY_JITTER * random)

/** The body sent: the configured one rendered and expanded, or `{"par_day":…,"par_hour":…}` when empty (T2). */
export const httpBody = (
  configured: string | undefined,
  context: RunContext,
  environment: InterlockEnvironment,
): Effect.Effect<string, TriggerError> => {
  if (configured !== undefined && configured !== '')
    return expandJobText('http', 'body', renderTemplate(configured, context), environment)
  const { hour } = splitPeriod(context.period)
  return Effect.succeed(
    JSON.stringify(
      hour === '' ? { par_day: parDay(context.period) } : { par_day: parDay(context.period), par_hour: hour },
    ),
  )
}

const runIdOf = (response: OutboundResponse): string | undefined => {
  try {
    const answer = asObject(JSON.parse(new TextDecoder().decode(response.body)))
    for (const field of RUN_ID_FIELDS) {
      const value = answer[field]
      if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value)
    }
  } catch {
    // Not JSON: the answer names no run, which is fine for a synchronous call.
  }
  return undefined
}

type AttemptResult =
  | { readonly _tag: 'Answered'; readonly response: OutboundResponse }
  | { readonly _tag: 'NoAnswer'; readonly error: unknown }

/**
 * A generic HTTP call (`method`, `url`, `headers`, `body`, `timeout`): the job is done when the call is
 * answered with a status below 400. Up to three attempts for network errors and 5xx; a 4xx fails at once
 * as PERMANENT. Error bodies are cut to 512 bytes, stripped of control characters and of secrets.
 */
export const makeHttpTrigger = (dependencies: HttpTriggerDependencies): Trigger<HttpJobConfig> => {
  const sleep = dependencies.sleep ?? ((delay: Duration.Duration) => Effect.sleep(delay))
  const random = dependencies.random ?? Math.random
  return {
    start: (config, context) =>
      Effect.gen(function* () {
        const headers = yield* requestHeaders('http', config.headers, dependencies.environment, context)
        const redact = makeRedactor(headers, dependencies.environment)
        const request = {
          method: config.method,
          url: renderTemplate(config.url, context),
          headers,
          body: yield* httpBody(config.body, context, dependencies.environment),
          timeoutMs:
            config.timeout === undefined
              ? (dependencies.defaultTimeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1_000)
              : config.timeout * 1_000,
        }
        let last5xx: OutboundResponse | undefined
        let lastError: unknown
        for (let attempt = 0; attempt < HTTP_ATTEMPTS; attempt++) {
          if (attempt > 0) yield* sleep(Duration.millis(retryDelayMs(attempt - 1, random())))
          const result = yield* Effect.tryPromise({
            try: (signal) => dependencies.http.send(request, signal),
            catch: (error) => error,
          }).pipe(
            Effect.map((response): AttemptResult => ({ _tag: 'Answered', response })),
            Effect.catchAll((error) => Effect.succeed<AttemptResult>({ _tag: 'NoAnswer', error })),
          )
          if (result._tag === 'NoAnswer') {
            if (isConfigurationError(result.error)) {
              return yield* transportFailure('http', 'trigger request failed', result.error, redact)
            }
            lastError = result.error
            continue
          }
          const { response } = result
          if (response.status >= 500) {
            last5xx = response
            continue
          }
          if (response.status >= 400) {
            return yield* statusFailure(
              'http',
              'trigger returned status',
              response.status,
              response.body,
              redact,
            )
          }
          const runId = runIdOf(response)
          return {
            externalRunId: runId ?? 'sync',
            metadata: {
              http_status: String(response.status),
              ...(runId === undefined ? {} : { http_run_id: runId }),
            },
            synchronous: true,
            message: 'http trigger completed synchronously',
          }
        }
        return yield* failureAfterRetries(last5xx, lastError, redact)
      }),
    status: () => Effect.succeed(running(NON_POLLING)),
    cancel: () =>
      Effect.succeed({
        _tag: 'CancelNotSupported' as const,
        reason: 'an http job ends within its start call',
      }),
  }
}

const failureAfterRetries = (
  last5xx: OutboundResponse | undefined,
  lastError: unknown,
  redact: (text: string) => string,
): Effect.Effect<never, TriggerError> =>
  last5xx !== undefined
    ? Effect.fail(
        triggerError(
          'http',
          'TRANSIENT',
          redact(`trigger returned status ${last5xx.status}: ${sanitizeBody(last5xx.body)}`),
        ),
      )
    : Effect.fail(transportFailure('http', 'trigger request failed', lastError, redact))
