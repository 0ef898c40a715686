// biome-ignore-all lint/suspicious/noTemplateCurlyInString: payloads hold literal `${INTERLOCK_…}` text for the expansion
import { LambdaClient } from '@aws-sdk/client-lambda'
import {
  type FakeLambda,
  fakeAwsClientConfig,
  hang,
  startFakeLambda,
  statusFault,
  throttled,
  unavailable,
} from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dailyRun, run, runError } from '../test-support.ts'
import { interlockEnvironment } from '../text/env-expansion.ts'
import { makeLambdaTrigger } from './lambda-trigger.ts'

let lambda: FakeLambda
let client: LambdaClient

beforeAll(async () => {
  lambda = await startFakeLambda()
  client = new LambdaClient(fakeAwsClientConfig(lambda.url))
})

afterAll(async () => {
  client.destroy()
  await lambda.close()
})

const environment = interlockEnvironment({
  INTERLOCK_TEST_VAR: 'safe',
  INTERLOCK_API_TOKEN: 'tok-abcdef-123',
  SECRET_VAR: 'leaked',
})
const trigger = (invokeTimeoutMs?: number) =>
  makeLambdaTrigger({
    lambda: client,
    environment,
    ...(invokeTimeoutMs === undefined ? {} : { invokeTimeoutMs }),
  })
const config = { functionName: 'process-orders' }

describe('lambda trigger', () => {
  it('invokes the function synchronously and completes with its request id', async () => {
    const started = await run(trigger().start(config, dailyRun))
    expect(started).toEqual({
      externalRunId: `fake-invocation-${lambda.invocations.length}`,
      metadata: { lambda_function_name: 'process-orders', lambda_request_id: started.externalRunId },
      synchronous: true,
      message: 'lambda trigger completed synchronously',
    })
    expect(lambda.invocations.at(-1)).toEqual({
      functionName: 'process-orders',
      invocationType: 'RequestResponse',
      payload: '',
    })
  })

  it('sends the payload with templates rendered and INTERLOCK_ variables expanded', async () => {
    await run(
      trigger().start(
        { ...config, payload: '{"key":"value","day":"{{date}}","safe":"${INTERLOCK_TEST_VAR}"}' },
        dailyRun,
      ),
    )
    expect(lambda.invocations.at(-1)?.payload).toBe('{"key":"value","day":"2026-03-03","safe":"safe"}')
  })

  it('refuses a payload that reads a variable the operator has not allowed, invoking nothing', async () => {
    const before = lambda.invocations.length
    const error = await runError(
      trigger().start({ ...config, payload: '{"secret":"${SECRET_VAR}"}' }, dailyRun),
    )
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toMatch(/^lambda trigger: job\.config\.payload reads \$\{SECRET_VAR\}, which/)
    expect(lambda.invocations.length).toBe(before)
  })

  it('fails as TRANSIENT on a function error, quoting the start of its payload with secrets redacted', async () => {
    lambda.nextResults({
      functionError: 'Unhandled',
      payload: `{"errorMessage":"something broke with tok-abcdef-123","pad":"${'x'.repeat(300)}"}`,
    })
    const error = await runError(trigger().start(config, dailyRun))
    expect(error.category).toBe('TRANSIENT')
    expect(error.message).toMatch(
      /^lambda trigger: function error: Unhandled: \{"errorMessage":"something broke with \[REDACTED\]","pad":"x+$/,
    )
    expect(error.message).not.toContain('tok-abcdef-123')
  })

  it('is rejected as PERMANENT for an unknown function (4xx)', async () => {
    const error = await runError(trigger().start({ functionName: 'missing-fn' }, dailyRun))
    expect(error.category).toBe('PERMANENT')
    expect(error.message).toBe(
      'lambda trigger: Invoke failed: ResourceNotFoundException: Function not found: missing-fn',
    )
  })

  it('is rejected as PERMANENT when access is denied', async () => {
    lambda.faults.next('Invoke', statusFault(403, 'AccessDeniedException', 'not authorized'))
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('PERMANENT')
  })

  it('fails as TRANSIENT on a 5xx and on throttling', async () => {
    lambda.faults.next('Invoke', unavailable, throttled)
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('TRANSIENT')
    expect((await runError(trigger().start(config, dailyRun))).category).toBe('TRANSIENT')
  })

  it('fails as TIMEOUT when the invocation hangs past its deadline', async () => {
    lambda.faults.next('Invoke', hang)
    const error = await runError(trigger(20).start(config, dailyRun))
    expect(error.category).toBe('TIMEOUT')
    expect(error.message).toBe('lambda trigger: Invoke failed: no answer within 20 ms')
  })

  it('reports running to a status poll and cannot be cancelled', async () => {
    const handle = { externalRunId: 'sync', metadata: {} }
    expect(await run(trigger().status(config, handle, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'non-polling trigger type',
    })
    expect(await run(trigger().cancel(config, handle, dailyRun))).toEqual({
      _tag: 'CancelNotSupported',
      reason: 'a lambda job ends within its start call',
    })
  })
})
