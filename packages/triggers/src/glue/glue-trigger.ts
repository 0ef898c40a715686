import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import {
  BatchStopJobRunCommand,
  GetJobRunCommand,
  type GlueClient,
  StartJobRunCommand,
} from '@aws-sdk/client-glue'
import type { GlueJobConfig } from '@interlock/domain'
import { Effect } from 'effect'
import { awsCall } from '../aws/aws-call.ts'
import { triggerError } from '../failure/trigger-error.ts'
import { parDay, renderTemplate, renderTemplateValues, splitPeriod } from '../text/template-variables.ts'
import { failed, type JobStatus, running, succeeded, type Trigger } from '../trigger.ts'
import { glueFalseSuccessReason } from './glue-false-success.ts'

export interface GlueTriggerDependencies {
  readonly glue: GlueClient
  /** For the false-success check of T5; without it SUCCEEDED is trusted. */
  readonly logs: CloudWatchLogsClient | undefined
  /** Deadline of each AWS call; AWS_CALL_TIMEOUT_MS unless a test shortens it. */
  readonly callTimeoutMs?: number
}

/** The job arguments: the configured ones with templates rendered, plus `--par_day`/`--par_hour` unless set (T2). */
export const glueArguments = (
  configured: Readonly<Record<string, string>> | undefined,
  context: Parameters<typeof renderTemplateValues>[1],
): Record<string, string> => {
  const rendered = renderTemplateValues(configured ?? {}, context)
  const { hour } = splitPeriod(context.period)
  return {
    ...rendered,
    ...('--par_day' in rendered ? {} : { '--par_day': parDay(context.period) }),
    ...(hour === '' || '--par_hour' in rendered ? {} : { '--par_hour': hour }),
  }
}

const statusOf = (
  dependencies: GlueTriggerDependencies,
  runId: string,
  state: string,
  errorMessage: string | undefined,
  logGroupName: string | undefined,
): Effect.Effect<JobStatus> => {
  const message = errorMessage === undefined || errorMessage === '' ? state : `${state}: ${errorMessage}`
  switch (state) {
    case 'SUCCEEDED':
      return dependencies.logs === undefined
        ? Effect.succeed(succeeded(state))
        : glueFalseSuccessReason(dependencies.logs, runId, logGroupName).pipe(
            Effect.map((reason) =>
              reason === undefined ? succeeded(state) : failed(`SUCCEEDED (${reason})`, 'TRANSIENT'),
            ),
          )
    case 'TIMEOUT':
    case 'EXPIRED':
      return Effect.succeed(failed(message, 'TIMEOUT'))
    case 'FAILED':
    case 'STOPPED':
    case 'ERROR':
      return Effect.succeed(failed(message, 'TRANSIENT'))
    default:
      return Effect.succeed(running(state))
  }
}

/** AWS Glue: StartJobRun, GetJobRun (with the CloudWatch false-success check), BatchStopJobRun. */
export const makeGlueTrigger = (dependencies: GlueTriggerDependencies): Trigger<GlueJobConfig> => ({
  start: (config, context) =>
    Effect.gen(function* () {
      const jobName = renderTemplate(config.jobName, context)
      const output = yield* awsCall(
        'glue',
        'glue trigger: StartJobRun failed',
        (abortSignal) =>
          dependencies.glue.send(
            new StartJobRunCommand({ JobName: jobName, Arguments: glueArguments(config.arguments, context) }),
            { abortSignal },
          ),
        dependencies.callTimeoutMs,
      )
      const runId = output.JobRunId ?? ''
      if (runId === '') {
        return yield* triggerError(
          'glue',
          'TRANSIENT',
          `glue trigger: StartJobRun for ${jobName} returned no JobRunId`,
        )
      }
      return {
        externalRunId: runId,
        metadata: { glue_job_name: jobName, glue_job_run_id: runId },
        synchronous: false,
        message: `started Glue job ${jobName}, run ${runId}`,
      }
    }),

  status: (_config, handle) =>
    Effect.gen(function* () {
      const jobName = handle.metadata.glue_job_name ?? ''
      const runId = handle.metadata.glue_job_run_id ?? ''
      if (jobName === '' || runId === '') return running('missing glue metadata')
      const output = yield* awsCall('glue', 'glue status: GetJobRun failed', (abortSignal) =>
        dependencies.glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }), { abortSignal }),
      )
      const run = output.JobRun
      if (run === undefined) {
        return yield* triggerError(
          'glue',
          'TRANSIENT',
          `glue status: GetJobRun returned nil JobRun for ${runId}`,
        )
      }
      return yield* statusOf(dependencies, runId, run.JobRunState ?? '', run.ErrorMessage, run.LogGroupName)
    }),

  cancel: (_config, handle) =>
    Effect.gen(function* () {
      const jobName = handle.metadata.glue_job_name ?? ''
      const runId = handle.metadata.glue_job_run_id ?? ''
      if (jobName === '' || runId === '') {
        return yield* triggerError('glue', 'PERMANENT', 'glue cancel: the handle names no Glue job run')
      }
      const output = yield* awsCall('glue', 'glue cancel: BatchStopJobRun failed', (abortSignal) =>
        dependencies.glue.send(new BatchStopJobRunCommand({ JobName: jobName, JobRunIds: [runId] }), {
          abortSignal,
        }),
      )
      const refused = output.Errors?.[0]
      if (refused !== undefined) {
        const detail = `${refused.ErrorDetail?.ErrorCode ?? 'Error'}: ${refused.ErrorDetail?.ErrorMessage ?? ''}`
        return yield* triggerError(
          'glue',
          'PERMANENT',
          `glue cancel: BatchStopJobRun refused ${runId}: ${detail}`,
        )
      }
      return { _tag: 'CancelRequested' as const, message: `stop requested for Glue run ${runId}` }
    }),
})
