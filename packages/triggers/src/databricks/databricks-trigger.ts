import type { DatabricksJobConfig } from '@interlock/domain'
import { Effect } from 'effect'
import { attemptToken } from '../aws/idempotency-token.ts'
import { type TriggerError, triggerError } from '../failure/trigger-error.ts'
import { asObject, DEFAULT_HTTP_TIMEOUT_MS, exchangeJson } from '../outbound/json-exchange.ts'
import type { OutboundHttp } from '../outbound/outbound-http.ts'
import { requestHeaders } from '../outbound/request-headers.ts'
import type { InterlockEnvironment } from '../text/env-expansion.ts'
import { makeRedactor, type Redactor } from '../text/redact-secrets.ts'
import { type RunContext, renderTemplate, renderTemplateValues } from '../text/template-variables.ts'
import { failed, running, succeeded, type Trigger } from '../trigger.ts'

export interface DatabricksTriggerDependencies {
  readonly http: OutboundHttp
  readonly environment: InterlockEnvironment
  /** Deadline of calls the config sets none for; 30 s unless the app or a test sets another. */
  readonly defaultTimeoutMs?: number
}

const JOBS_API = '/api/2.1/jobs'
const NUMERIC_JOB_ID = /^\d+$/

const workspaceOf = (url: string) => url.replace(/\/+$/, '')

/**
 * Databricks Jobs API 2.1: run-now of an existing job, by id or by a name looked up in `jobs/list`,
 * idempotent per attempt; `runs/get` for the state; `runs/cancel`.
 */
export const makeDatabricksTrigger = (
  dependencies: DatabricksTriggerDependencies,
): Trigger<DatabricksJobConfig> => {
  const prepare = (config: DatabricksJobConfig, context: RunContext) =>
    requestHeaders('databricks', config.headers, dependencies.environment, context).pipe(
      Effect.map((headers) => ({ headers, redact: makeRedactor(headers, dependencies.environment) })),
    )
  const call = (
    prefix: string,
    method: string,
    url: string,
    headers: Record<string, string>,
    redact: Redactor,
    body?: unknown,
  ) =>
    exchangeJson(
      dependencies.http,
      'databricks',
      prefix,
      {
        method,
        url,
        headers,
        timeoutMs: dependencies.defaultTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      redact,
    ).pipe(Effect.map(asObject))

  /** The numeric id of the job: the configured one, or the only job with the configured name. */
  const resolveJobId = (
    workspace: string,
    jobId: string,
    headers: Record<string, string>,
    redact: Redactor,
  ): Effect.Effect<number, TriggerError> =>
    NUMERIC_JOB_ID.test(jobId)
      ? Effect.succeed(Number(jobId))
      : Effect.gen(function* () {
          const answer = yield* call(
            'databricks trigger: job lookup',
            'GET',
            `${workspace}${JOBS_API}/list?name=${encodeURIComponent(jobId)}`,
            headers,
            redact,
          )
          const jobs = Array.isArray(answer.jobs) ? answer.jobs.map(asObject) : []
          const ids = jobs.map((job) => job.job_id).filter((id): id is number => typeof id === 'number')
          const [only, ...others] = ids
          if (only === undefined || others.length > 0) {
            return yield* triggerError(
              'databricks',
              'PERMANENT',
              `databricks trigger: ${ids.length === 0 ? 'no job is' : `${ids.length} jobs are`} named "${jobId}" in ` +
                `${workspace}; set job.config.jobId to the numeric job id`,
            )
          }
          return only
        })

  return {
    start: (config, context) =>
      Effect.gen(function* () {
        const workspace = workspaceOf(renderTemplate(config.workspaceUrl, context))
        const { headers, redact } = yield* prepare(config, context)
        const jobId = yield* resolveJobId(workspace, renderTemplate(config.jobId, context), headers, redact)
        const parameters = renderTemplateValues(config.arguments ?? {}, context)
        const answer = yield* call(
          'databricks trigger',
          'POST',
          `${workspace}${JOBS_API}/run-now`,
          headers,
          redact,
          {
            job_id: jobId,
            idempotency_token: attemptToken(context),
            ...(Object.keys(parameters).length === 0 ? {} : { notebook_params: parameters }),
          },
        )
        const runId = answer.run_id
        if (typeof runId !== 'number' || runId === 0) {
          return yield* triggerError('databricks', 'TRANSIENT', 'databricks trigger: response missing run_id')
        }
        const externalRunId = runId.toFixed(0)
        return {
          externalRunId,
          metadata: { databricks_workspace_url: workspace, databricks_run_id: externalRunId },
          synchronous: false,
          message: `started Databricks job ${jobId}, run ${externalRunId}`,
        }
      }),

    status: (config, handle, context) =>
      Effect.gen(function* () {
        const workspace = handle.metadata.databricks_workspace_url ?? ''
        const runId = handle.metadata.databricks_run_id ?? ''
        if (workspace === '' || runId === '') return running('missing databricks metadata')
        const { headers, redact } = yield* prepare(config, context)
        const answer = yield* call(
          'databricks status',
          'GET',
          `${workspace}${JOBS_API}/runs/get?run_id=${encodeURIComponent(runId)}`,
          headers,
          redact,
        )
        const state = asObject(answer.state)
        const lifeCycle = typeof state.life_cycle_state === 'string' ? state.life_cycle_state : ''
        const result = typeof state.result_state === 'string' ? state.result_state : ''
        const message = result === '' ? lifeCycle : `${lifeCycle}/${result}`
        if (lifeCycle === 'TERMINATED')
          return result === 'SUCCESS' ? succeeded(message) : failed(message, 'TRANSIENT')
        if (lifeCycle === 'SKIPPED') return failed(message, 'PERMANENT')
        if (lifeCycle === 'INTERNAL_ERROR') return failed(message, 'TRANSIENT')
        return running(message)
      }),

    cancel: (config, handle, context) =>
      Effect.gen(function* () {
        const workspace = handle.metadata.databricks_workspace_url ?? ''
        const runId = handle.metadata.databricks_run_id ?? ''
        if (workspace === '' || runId === '') {
          return yield* triggerError('databricks', 'PERMANENT', 'databricks cancel: the handle names no run')
        }
        const { headers, redact } = yield* prepare(config, context)
        yield* call('databricks cancel', 'POST', `${workspace}${JOBS_API}/runs/cancel`, headers, redact, {
          run_id: Number(runId),
        })
        return { _tag: 'CancelRequested' as const, message: `cancel requested for Databricks run ${runId}` }
      }),
  }
}
