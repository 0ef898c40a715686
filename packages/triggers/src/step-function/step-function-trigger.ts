import {
  DescribeExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn'
import type { StepFunctionJobConfig } from '@interlock/domain'
import { Effect } from 'effect'
import { awsCall } from '../aws/aws-call.ts'
import { executionName } from '../aws/idempotency-token.ts'
import { triggerError } from '../failure/trigger-error.ts'
import { type RunContext, renderTemplate, renderTemplateValues } from '../text/template-variables.ts'
import { failed, running, succeeded, type Trigger } from '../trigger.ts'

export interface StepFunctionTriggerDependencies {
  readonly stepFunctions: SFNClient
  readonly callTimeoutMs?: number
}

/** The execution input: the arguments with templates rendered, as a JSON object with sorted keys (spec §5.4.7). */
export const executionInput = (
  configured: Readonly<Record<string, string>> | undefined,
  context: RunContext,
): string | undefined => {
  const rendered = renderTemplateValues(configured ?? {}, context)
  const keys = Object.keys(rendered).sort()
  if (keys.length === 0) return undefined
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, rendered[key]])))
}

const STOP_ERROR = 'Interlock.Cancelled'

/**
 * AWS Step Functions: StartExecution named after the attempt (a repeated start of one attempt finds the
 * same execution), DescribeExecution, StopExecution.
 */
export const makeStepFunctionTrigger = (
  dependencies: StepFunctionTriggerDependencies,
): Trigger<StepFunctionJobConfig> => ({
  start: (config, context) =>
    Effect.gen(function* () {
      const stateMachineArn = renderTemplate(config.stateMachineArn, context)
      const input = executionInput(config.arguments, context)
      const output = yield* awsCall(
        'step-function',
        'step-function trigger: StartExecution failed',
        (abortSignal) =>
          dependencies.stepFunctions.send(
            new StartExecutionCommand({
              stateMachineArn,
              name: executionName(context),
              ...(input === undefined ? {} : { input }),
            }),
            { abortSignal },
          ),
        dependencies.callTimeoutMs,
      )
      const executionArn = output.executionArn ?? ''
      if (executionArn === '') {
        return yield* triggerError(
          'step-function',
          'TRANSIENT',
          `step-function trigger: StartExecution of ${stateMachineArn} returned no executionArn`,
        )
      }
      return {
        externalRunId: executionArn,
        metadata: { sfn_execution_arn: executionArn },
        synchronous: false,
        message: `started execution ${executionArn}`,
      }
    }),

  status: (_config, handle) =>
    Effect.gen(function* () {
      const executionArn = handle.metadata.sfn_execution_arn ?? ''
      if (executionArn === '') return running('missing sfn metadata')
      const output = yield* awsCall(
        'step-function',
        'sfn status: DescribeExecution failed',
        (abortSignal) =>
          dependencies.stepFunctions.send(new DescribeExecutionCommand({ executionArn }), { abortSignal }),
        dependencies.callTimeoutMs,
      )
      const status = output.status ?? ''
      const why = [output.error, output.cause].filter((part) => part !== undefined && part !== '').join(': ')
      const message = why === '' ? status : `${status}: ${why}`
      switch (status) {
        case 'SUCCEEDED':
          return succeeded(status)
        case 'TIMED_OUT':
          return failed(message, 'TIMEOUT')
        case 'FAILED':
        case 'ABORTED':
          return failed(message, 'TRANSIENT')
        default:
          return running(status)
      }
    }),

  cancel: (_config, handle) =>
    Effect.gen(function* () {
      const executionArn = handle.metadata.sfn_execution_arn ?? ''
      if (executionArn === '') {
        return yield* triggerError('step-function', 'PERMANENT', 'sfn cancel: the handle names no execution')
      }
      yield* awsCall(
        'step-function',
        'sfn cancel: StopExecution failed',
        (abortSignal) =>
          dependencies.stepFunctions.send(
            new StopExecutionCommand({ executionArn, error: STOP_ERROR, cause: 'cancelled by Interlock' }),
            { abortSignal },
          ),
        dependencies.callTimeoutMs,
      )
      return { _tag: 'CancelRequested' as const, message: `stop requested for execution ${executionArn}` }
    }),
})
