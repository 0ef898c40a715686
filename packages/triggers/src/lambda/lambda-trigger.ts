import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda'
import type { LambdaJobConfig } from '@interlock/domain'
import { Effect } from 'effect'
import { awsCall } from '../aws/aws-call.ts'
import { triggerError } from '../failure/trigger-error.ts'
import type { InterlockEnvironment } from '../text/env-expansion.ts'
import { expandJobText } from '../text/expand-job-text.ts'
import { makeRedactor } from '../text/redact-secrets.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'
import { renderTemplate } from '../text/template-variables.ts'
import { NON_POLLING, running, type Trigger } from '../trigger.ts'

/** A Lambda function runs for at most 15 minutes; the invocation waits a little longer than that. */
export const LAMBDA_INVOKE_TIMEOUT_MS = 16 * 60_000
const ERROR_PAYLOAD_LIMIT_BYTES = 200

export interface LambdaTriggerDependencies {
  readonly lambda: LambdaClient
  readonly environment: InterlockEnvironment
  readonly invokeTimeoutMs?: number
}

/**
 * AWS Lambda, invoked synchronously (RequestResponse): the job is over when the call returns. A function
 * error or a non-2xx status fails the start; the external run id is the Lambda request id.
 */
export const makeLambdaTrigger = (dependencies: LambdaTriggerDependencies): Trigger<LambdaJobConfig> => ({
  start: (config, context) =>
    Effect.gen(function* () {
      const functionName = renderTemplate(config.functionName, context)
      const payload =
        config.payload === undefined || config.payload === ''
          ? undefined
          : yield* expandJobText(
              'lambda',
              'payload',
              renderTemplate(config.payload, context),
              dependencies.environment,
            )
      const output = yield* awsCall(
        'lambda',
        'lambda trigger: Invoke failed',
        (abortSignal) =>
          dependencies.lambda.send(
            new InvokeCommand({
              FunctionName: functionName,
              InvocationType: 'RequestResponse',
              ...(payload === undefined ? {} : { Payload: new TextEncoder().encode(payload) }),
            }),
            { abortSignal },
          ),
        dependencies.invokeTimeoutMs ?? LAMBDA_INVOKE_TIMEOUT_MS,
      )
      const redact = makeRedactor({}, dependencies.environment)
      if (output.FunctionError !== undefined && output.FunctionError !== '') {
        const returned = sanitizeBody(
          (output.Payload ?? new Uint8Array()).subarray(0, ERROR_PAYLOAD_LIMIT_BYTES),
        )
        return yield* triggerError(
          'lambda',
          'TRANSIENT',
          redact(`lambda trigger: function error: ${output.FunctionError}: ${returned}`),
        )
      }
      const status = output.StatusCode ?? 0
      if (status < 200 || status > 299) {
        return yield* triggerError('lambda', 'TRANSIENT', `lambda trigger: unexpected status ${status}`)
      }
      const requestId = output.$metadata.requestId ?? ''
      return {
        externalRunId: requestId === '' ? 'sync' : requestId,
        metadata: { lambda_function_name: functionName, lambda_request_id: requestId },
        synchronous: true,
        message: 'lambda trigger completed synchronously',
      }
    }),
  status: () => Effect.succeed(running(NON_POLLING)),
  cancel: () =>
    Effect.succeed({
      _tag: 'CancelNotSupported' as const,
      reason: 'a lambda job ends within its start call',
    }),
})
