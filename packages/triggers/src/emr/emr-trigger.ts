import {
  AddJobFlowStepsCommand,
  CancelStepsCommand,
  DescribeStepCommand,
  type EMRClient,
} from '@aws-sdk/client-emr'
import { EMR_COMMAND_RUNNER_JAR, EMR_DEFAULT_STEP_NAME, type EmrJobConfig } from '@interlock/domain'
import { Effect } from 'effect'
import { awsCall } from '../aws/aws-call.ts'
import { triggerError } from '../failure/trigger-error.ts'
import { renderTemplate, renderTemplateValues } from '../text/template-variables.ts'
import { failed, running, succeeded, type Trigger } from '../trigger.ts'

export interface EmrTriggerDependencies {
  readonly emr: EMRClient
  readonly callTimeoutMs?: number
}

// Array.isArray does not narrow a readonly array out of a union with a record.
const isList = (value: EmrJobConfig['arguments']): value is ReadonlyArray<string> => Array.isArray(value)

/** Amazon EMR on EC2: one step per start (AddJobFlowSteps), DescribeStep, CancelSteps. */
export const makeEmrTrigger = (dependencies: EmrTriggerDependencies): Trigger<EmrJobConfig> => ({
  start: (config, context) =>
    Effect.gen(function* () {
      const clusterId = renderTemplate(config.clusterId, context)
      // A list is the step's Args as written (seed 001); a mapping becomes key=value Args, kept in config
      // order, unlike the original's random map order.
      const args = isList(config.arguments)
        ? config.arguments.map((argument) => renderTemplate(argument, context))
        : Object.entries(renderTemplateValues(config.arguments ?? {}, context)).map(
            ([key, value]) => `${key}=${value}`,
          )
      // Without command, arguments is a list (the schema requires command otherwise): AWS EMR runs such a
      // list through command-runner.jar.
      const jar = config.command ?? EMR_COMMAND_RUNNER_JAR
      const output = yield* awsCall(
        'emr',
        'emr trigger: AddJobFlowSteps failed',
        (abortSignal) =>
          dependencies.emr.send(
            new AddJobFlowStepsCommand({
              JobFlowId: clusterId,
              Steps: [
                {
                  Name: renderTemplate(config.stepName ?? EMR_DEFAULT_STEP_NAME, context),
                  ActionOnFailure: 'CONTINUE',
                  HadoopJarStep: { Jar: renderTemplate(jar, context), Args: args },
                },
              ],
            }),
            { abortSignal },
          ),
        dependencies.callTimeoutMs,
      )
      const stepId = output.StepIds?.[0] ?? ''
      if (stepId === '') {
        return yield* triggerError(
          'emr',
          'TRANSIENT',
          `emr trigger: AddJobFlowSteps on ${clusterId} returned no step id`,
        )
      }
      return {
        externalRunId: stepId,
        metadata: { emr_cluster_id: clusterId, emr_step_id: stepId },
        synchronous: false,
        message: `added EMR step ${stepId} to cluster ${clusterId}`,
      }
    }),

  status: (_config, handle) =>
    Effect.gen(function* () {
      const clusterId = handle.metadata.emr_cluster_id ?? ''
      const stepId = handle.metadata.emr_step_id ?? ''
      if (clusterId === '' || stepId === '') return running('missing emr metadata')
      const output = yield* awsCall(
        'emr',
        'emr status: DescribeStep failed',
        (abortSignal) =>
          dependencies.emr.send(new DescribeStepCommand({ ClusterId: clusterId, StepId: stepId }), {
            abortSignal,
          }),
        dependencies.callTimeoutMs,
      )
      if (output.Step === undefined) {
        return yield* triggerError(
          'emr',
          'TRANSIENT',
          `emr status: DescribeStep returned nil Step for ${stepId}`,
        )
      }
      const status = output.Step.Status
      if (status === undefined) {
        return yield* triggerError(
          'emr',
          'TRANSIENT',
          `emr status: DescribeStep returned nil Step.Status for ${stepId}`,
        )
      }
      const state = status.State ?? ''
      const reason = status.FailureDetails?.Reason
      switch (state) {
        case 'COMPLETED':
          return succeeded(state)
        case 'FAILED':
        case 'CANCELLED':
        case 'INTERRUPTED':
          return failed(reason === undefined || reason === '' ? state : `${state}: ${reason}`, 'TRANSIENT')
        default:
          return running(state)
      }
    }),

  cancel: (_config, handle) =>
    Effect.gen(function* () {
      const clusterId = handle.metadata.emr_cluster_id ?? ''
      const stepId = handle.metadata.emr_step_id ?? ''
      if (clusterId === '' || stepId === '') {
        return yield* triggerError('emr', 'PERMANENT', 'emr cancel: the handle names no EMR step')
      }
      const output = yield* awsCall(
        'emr',
        'emr cancel: CancelSteps failed',
        (abortSignal) =>
          dependencies.emr.send(
            new CancelStepsCommand({
              ClusterId: clusterId,
              StepIds: [stepId],
              StepCancellationOption: 'SEND_INTERRUPT',
            }),
            { abortSignal },
          ),
        dependencies.callTimeoutMs,
      )
      const info = output.CancelStepsInfoList?.[0]
      if (info?.Status === 'FAILED') {
        return yield* triggerError(
          'emr',
          'PERMANENT',
          `emr cancel: step ${stepId} was not cancelled: ${info.Reason ?? ''}`,
        )
      }
      return { _tag: 'CancelRequested' as const, message: `cancel requested for EMR step ${stepId}` }
    }),
})
