import type { AirflowJobConfig } from '@interlock/domain'
import { Effect } from 'effect'
import { triggerError } from '../failure/trigger-error.ts'
import { asObject, DEFAULT_HTTP_TIMEOUT_MS, exchangeJson } from '../outbound/json-exchange.ts'
import type { OutboundHttp } from '../outbound/outbound-http.ts'
import { requestHeaders } from '../outbound/request-headers.ts'
import type { InterlockEnvironment } from '../text/env-expansion.ts'
import { expandJobText } from '../text/expand-job-text.ts'
import { makeRedactor } from '../text/redact-secrets.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'
import { type RunContext, renderTemplate } from '../text/template-variables.ts'
import { failed, running, succeeded, type Trigger } from '../trigger.ts'

export interface AirflowTriggerDependencies {
  readonly http: OutboundHttp
  readonly environment: InterlockEnvironment
  /** Deadline of calls the config sets none for; 30 s unless the app or a test sets another. */
  readonly defaultTimeoutMs?: number
}

/**
 * The REST API root of an Airflow URL: `<url>/api/v1` for a bare server URL (the original's only form);
 * a URL already ending in `/api/v1` or `/api/v2` (Airflow 3) is used as it is.
 */
export const airflowApiRoot = (url: string): { readonly root: string; readonly version: 'v1' | 'v2' } => {
  const trimmed = url.replace(/\/+$/, '')
  const explicit = /\/api\/(v1|v2)$/.exec(trimmed)
  if (explicit !== null) return { root: trimmed, version: explicit[1] === 'v2' ? 'v2' : 'v1' }
  return { root: `${trimmed}/api/v1`, version: 'v1' }
}

const dagRunsPath = (url: string, dagId: string) =>
  `${airflowApiRoot(url).root}/dags/${encodeURIComponent(dagId)}/dagRuns`

/** The run as the handle names it, or undefined when the handle lacks a part. */
const runOf = (metadata: Readonly<Record<string, string>>) => {
  const url = metadata.airflow_url ?? ''
  const dagId = metadata.airflow_dag_id ?? ''
  const runId = metadata.airflow_dag_run_id ?? ''
  return url === '' || dagId === '' || runId === '' ? undefined : { url, dagId, runId }
}

const runPath = (run: { readonly url: string; readonly dagId: string; readonly runId: string }) =>
  `${dagRunsPath(run.url, run.dagId)}/${encodeURIComponent(run.runId)}`

/** Apache Airflow REST API v1/v2: trigger a DAG run, read its state, mark it failed to cancel it. */
export const makeAirflowTrigger = (dependencies: AirflowTriggerDependencies): Trigger<AirflowJobConfig> => {
  const defaultTimeoutMs = dependencies.defaultTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS
  const timeoutOf = (config: AirflowJobConfig) =>
    config.timeout === undefined ? defaultTimeoutMs : config.timeout * 1_000
  const prepare = (config: AirflowJobConfig, context: RunContext) =>
    requestHeaders('airflow', config.headers, dependencies.environment, context).pipe(
      Effect.map((headers) => ({ headers, redact: makeRedactor(headers, dependencies.environment) })),
    )
  return {
    start: (config, context) =>
      Effect.gen(function* () {
        const url = renderTemplate(config.url, context)
        const dagId = renderTemplate(config.dagId, context)
        const { headers, redact } = yield* prepare(config, context)
        const body =
          config.body === undefined || config.body === ''
            ? undefined
            : yield* expandJobText(
                'airflow',
                'body',
                renderTemplate(config.body, context),
                dependencies.environment,
              )
        const conf = yield* Effect.try({
          try: () => (body === undefined ? undefined : (JSON.parse(body) as unknown)),
          catch: (error) =>
            triggerError(
              'airflow',
              'PERMANENT',
              `airflow trigger: invalid body JSON: ${sanitizeBody(error instanceof Error ? error.message : String(error))}; ` +
                'job.config.body must be JSON text',
            ),
        })
        const payload = {
          ...(conf === undefined ? {} : { conf }),
          // Airflow 3 requires the key; null lets Airflow take the current time as the logical date.
          ...(airflowApiRoot(url).version === 'v2' ? { logical_date: null } : {}),
        }
        const answer = asObject(
          yield* exchangeJson(
            dependencies.http,
            'airflow',
            'airflow trigger',
            {
              method: 'POST',
              url: dagRunsPath(url, dagId),
              headers,
              body: JSON.stringify(payload),
              timeoutMs: timeoutOf(config),
            },
            redact,
          ),
        )
        const runId = answer.dag_run_id
        if (typeof runId !== 'string' || runId === '') {
          return yield* triggerError('airflow', 'TRANSIENT', 'airflow trigger: response missing dag_run_id')
        }
        return {
          externalRunId: runId,
          metadata: { airflow_dag_run_id: runId, airflow_dag_id: dagId, airflow_url: url },
          synchronous: false,
          message: `triggered DAG ${dagId}, run ${runId}`,
        }
      }),

    status: (config, handle, context) =>
      Effect.gen(function* () {
        const run = runOf(handle.metadata)
        if (run === undefined) return running('missing airflow metadata')
        const { headers, redact } = yield* prepare(config, context)
        const answer = asObject(
          yield* exchangeJson(
            dependencies.http,
            'airflow',
            'airflow status',
            { method: 'GET', url: runPath(run), headers, timeoutMs: defaultTimeoutMs },
            redact,
          ),
        )
        const state = answer.state
        if (typeof state !== 'string' || state === '') {
          return yield* triggerError('airflow', 'TRANSIENT', 'airflow status: response missing state field')
        }
        // The original gave Airflow failures no category; TRANSIENT spends the same retry budget.
        if (state === 'success') return succeeded(state)
        if (state === 'failed') return failed(state, 'TRANSIENT')
        return running(state)
      }),

    cancel: (config, handle, context) =>
      Effect.gen(function* () {
        const run = runOf(handle.metadata)
        if (run === undefined) {
          return yield* triggerError('airflow', 'PERMANENT', 'airflow cancel: the handle names no DAG run')
        }
        const { headers, redact } = yield* prepare(config, context)
        yield* exchangeJson(
          dependencies.http,
          'airflow',
          'airflow cancel',
          {
            method: 'PATCH',
            url: runPath(run),
            headers,
            body: JSON.stringify({ state: 'failed' }),
            timeoutMs: defaultTimeoutMs,
          },
          redact,
        )
        return { _tag: 'CancelRequested' as const, message: `marked DAG run ${run.runId} failed` }
      }),
  }
}
