import {
  CancelJobRunCommand,
  type EMRServerlessClient,
  GetJobRunCommand,
  StartJobRunCommand,
} from '@aws-sdk/client-emr-serverless'
import type { EmrServerlessJobConfig } from '@interlock/domain'
import { Effect } from 'effect'
import { awsCall } from '../aws/aws-call.ts'
import { attemptToken } from '../aws/idempotency-token.ts'
import { triggerError } from '../failure/trigger-error.ts'
import { type RunContext, renderTemplate } from '../text/template-variables.ts'
import { failed, running, succeeded, type Trigger } from '../trigger.ts'

export interface EmrServerlessTriggerDependencies {
  readonly emrServerless: EMRServerlessClient
  readonly callTimeoutMs?: number
}

const jobDriver = (config: EmrServerlessJobConfig, context: RunContext) =>
  config.entryPoint === undefined
    ? undefined
    : {
        sparkSubmit: {
          entryPoint: renderTemplate(config.entryPoint, context),
          ...(config.entryPointArguments === undefined
            ? {}
            : {
                entryPointArguments: config.entryPointArguments.map((argument) =>
                  renderTemplate(argument, context),
                ),
              }),
          ...(config.sparkSubmitParameters === undefined
            ? {}
            : { sparkSubmitParameters: renderTemplate(config.sparkSubmitParameters, context) }),
        },
      }

/**
 * Amazon EMR Serverless: StartJobRun (idempotent per attempt through its client token), GetJobRun,
 * CancelJobRun.
 */
export const makeEmrServerlessTrigger = (
  dependencies: EmrServerlessTriggerDependencies,
): Trigger<EmrServerlessJobConfig> => ({
  start: (config, context) =>
    Effect.gen(function* () {
      const applicationId = renderTemplate(config.applicationId, context)
      const driver = jobDriver(config, context)
      const executionRoleArn = config.executionRoleArn ?? ''
      if (executionRoleArn === '') {
        // The original sent none and AWS refuses such a call; say so before calling.
        return yield* triggerError(
          'emr-serverless',
          'PERMANENT',
          `emr-serverless trigger: job ${config.jobName} has no executionRoleArn; EMR Serverless runs every job ` +
            'under an IAM role, so add job.config.executionRoleArn',
        )
      }
      const output = yield* awsCall(
        'emr-serverless',
        'emr-serverless trigger: StartJobRun failed',
        (abortSignal) =>
          dependencies.emrServerless.send(
            new StartJobRunCommand({
              applicationId,
              name: renderTemplate(config.jobName, context),
              clientToken: attemptToken(context),
              executionRoleArn,
              ...(driver === undefined ? {} : { jobDriver: driver }),
            }),
            { abortSignal },
          ),
        dependencies.callTimeoutMs,
      )
      const jobRunId = output.jobRunId ?? ''
      if (jobRunId === '') {
        return yield* triggerError(
          'emr-serverless',
          'TRANSIENT',
          `emr-serverless trigger: StartJobRun on ${applicationId} returned no jobRunId`,
        )
      }
      return {
        externalRunId: jobRunId,
        metadata: { emr_sl_application_id: applicationId, emr_sl_job_run_id: jobRunId },
        synchronous: false,
        message: `started EMR Serverless job run ${jobRunId} on ${applicationId}`,
      }
    }),

  status: (_config, handle) =>
    Effect.gen(function* () {
      const applicationId = handle.metadata.emr_sl_application_id ?? ''
      const jobRunId = handle.metadata.emr_sl_job_run_id ?? ''
      if (applicationId === '' || jobRunId === '') return running('missing emr-serverless metadata')
      const output = yield* awsCall(
        'emr-serverless',
        'emr-serverless status: GetJobRun failed',
        (abortSignal) =>
          dependencies.emrServerless.send(new GetJobRunCommand({ applicationId, jobRunId }), { abortSignal }),
        dependencies.callTimeoutMs,
      )
      if (output.jobRun === undefined) {
        return yield* triggerError(
          'emr-serverless',
          'TRANSIENT',
          `emr-serverless status: GetJobRun returned nil JobRun for ${jobRunId}`,
        )
      }
      const state = output.jobRun.state ?? ''
      const details = output.jobRun.stateDetails
      switch (state) {
        case 'SUCCESS':
          return succeeded(state)
        case 'FAILED':
        case 'CANCELLED':
          return failed(details === undefined || details === '' ? state : `${state}: ${details}`, 'TRANSIENT')
        default:
          return running(state)
      }
    }),

  cancel: (_config, handle) =>
    Effect.gen(function* () {
      const applicationId = handle.metadata.emr_sl_application_id ?? ''
      const jobRunId = handle.metadata.emr_sl_job_run_id ?? ''
      if (applicationId === '' || jobRunId === '') {
        return yield* triggerError(
          'emr-serverless',
          'PERMANENT',
          'emr-serverless cancel: the handle names no job run',
        )
      }
      yield* awsCall(
        'emr-serverless',
        'emr-serverless cancel: CancelJobRun failed',
        (abortSignal) =>
          dependencies.emrServerless.send(new CancelJobRunCommand({ applicationId, jobRunId }), {
            abortSignal,
          }),
        dependencies.callTimeoutMs,
      )
      return {
        _tag: 'CancelRequested' as const,
        message: `cancel requested for EMR Serverless job run ${jobRunId}`,
      }
    }),
})
