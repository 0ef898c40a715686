import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { EMRClient } from '@aws-sdk/client-emr'
import { EMRServerlessClient } from '@aws-sdk/client-emr-serverless'
import { GlueClient } from '@aws-sdk/client-glue'
import { LambdaClient } from '@aws-sdk/client-lambda'
import { SFNClient } from '@aws-sdk/client-sfn'
import { JobConfig } from '@interlock/domain'
import {
  type FakeAirflow,
  type FakeCloudWatchLogs,
  type FakeDatabricks,
  type FakeEmr,
  type FakeEmrServerless,
  type FakeGlue,
  type FakeLambda,
  type FakeServer,
  type FakeStepFunctions,
  fakeAwsClientConfig,
  startFakeAirflow,
  startFakeCloudWatchLogs,
  startFakeDatabricks,
  startFakeEmr,
  startFakeEmrServerless,
  startFakeGlue,
  startFakeLambda,
  startFakeServer,
  startFakeStepFunctions,
} from '@interlock/test'
import { Effect, Schema } from 'effect'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AwsClients, destroyAwsClients } from './aws/aws-clients.ts'
import { parseAllowList } from './outbound/address-policy.ts'
import type { OutboundHttp } from './outbound/outbound-http.ts'
import { loopbackHttp } from './test-http.ts'
import { run } from './test-support.ts'
import { interlockEnvironment } from './text/env-expansion.ts'
import { makeTriggerRunner, type TriggerRunner, Triggers, triggersLayer } from './triggers.ts'

let fakes: {
  airflow: FakeAirflow
  databricks: FakeDatabricks
  glue: FakeGlue
  logs: FakeCloudWatchLogs
  emr: FakeEmr
  emrServerless: FakeEmrServerless
  stepFunctions: FakeStepFunctions
  lambda: FakeLambda
  web: FakeServer
}
let aws: AwsClients
let http: OutboundHttp
let runner: TriggerRunner

beforeAll(async () => {
  fakes = {
    airflow: await startFakeAirflow(),
    databricks: await startFakeDatabricks(),
    glue: await startFakeGlue(),
    logs: await startFakeCloudWatchLogs(),
    emr: await startFakeEmr(),
    emrServerless: await startFakeEmrServerless(),
    stepFunctions: await startFakeStepFunctions(),
    lambda: await startFakeLambda(),
    web: await startFakeServer(() => ({ status: 204 })),
  }
  aws = {
    glue: new GlueClient(fakeAwsClientConfig(fakes.glue.url)),
    logs: new CloudWatchLogsClient(fakeAwsClientConfig(fakes.logs.url)),
    emr: new EMRClient(fakeAwsClientConfig(fakes.emr.url)),
    emrServerless: new EMRServerlessClient(fakeAwsClientConfig(fakes.emrServerless.url)),
    stepFunctions: new SFNClient(fakeAwsClientConfig(fakes.stepFunctions.url)),
    lambda: new LambdaClient(fakeAwsClientConfig(fakes.lambda.url)),
  }
  http = loopbackHttp()
  runner = makeTriggerRunner({
    environment: interlockEnvironment({}),
    http,
    aws,
    commandPath: '/usr/bin:/bin',
  })
})

afterAll(async () => {
  destroyAwsClients(aws)
  await http.close()
  await Promise.all(Object.values(fakes).map((fake) => fake.close()))
})

const job = (type: string, config: Record<string, unknown>): JobConfig =>
  Schema.decodeUnknownSync(JobConfig)({ type, config })
const identity = { pipelineId: 'orders-daily', attemptId: 'attempt-7' }

describe('trigger runner', () => {
  it.each([
    ['airflow', () => ({ url: fakes.airflow.url, dagId: 'my_dag' }), 'success'],
    ['databricks', () => ({ workspaceUrl: fakes.databricks.url, jobId: '123' }), 'TERMINATED/SUCCESS'],
    ['glue', () => ({ jobName: 'my-etl-job' }), 'SUCCEEDED'],
    ['emr', () => ({ clusterId: 'j-1', stepName: 'step', command: 's3://a.jar' }), 'COMPLETED'],
    [
      'emr-serverless',
      () => ({ applicationId: 'app-1', jobName: 'job', executionRoleArn: 'arn:aws:iam::1:role/r' }),
      'SUCCESS',
    ],
    ['step-function', () => ({ stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m' }), 'SUCCEEDED'],
  ])('starts a %s job and follows it to success', async (type, config, finalState) => {
    const jobConfig = job(type, config())
    const started = await run(runner.start(jobConfig, '2026-03-03', identity))
    expect(started.synchronous).toBe(false)
    expect(started.externalRunId).not.toBe('')
    const window = { elapsedSeconds: 60, pollWindowSeconds: 3600 }
    expect(await run(runner.poll(jobConfig, started, '2026-03-03', identity, window))).toMatchObject({
      _tag: 'JobRunning',
    })
    expect(await run(runner.status(jobConfig, started, '2026-03-03', identity))).toEqual({
      _tag: 'JobSucceeded',
      message: finalState,
    })
  })

  it.each([
    ['command', () => ({ command: 'echo {{pipelineId}}' })],
    ['http', () => ({ url: `${fakes.web.url}/run` })],
    ['lambda', () => ({ functionName: 'fn' })],
  ])('runs a %s job to its end within start', async (type, config) => {
    const started = await run(runner.start(job(type, config()), '2026-03-03', identity))
    expect(started.synchronous).toBe(true)
  })

  it('cancels through the job type', async () => {
    const jobConfig = job('step-function', { stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:m' })
    fakes.stepFunctions.executions.next({ states: ['RUNNING'] })
    const started = await run(runner.start(jobConfig, '2026-03-04', identity))
    expect(await run(runner.cancel(jobConfig, started, '2026-03-04', identity))).toMatchObject({
      _tag: 'CancelRequested',
    })
  })
})

describe('triggersLayer', () => {
  it('builds a runner whose HTTP client refuses private targets unless allow-listed', async () => {
    const start = (allowList: string) =>
      Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const triggers = yield* Triggers
            return yield* Effect.either(
              triggers.start(job('http', { url: `${fakes.web.url}/run` }), '2026-03-03', identity),
            )
          }).pipe(
            Effect.provide(
              triggersLayer({
                environment: interlockEnvironment({}),
                allowPrivateTargets: parseAllowList(allowList).ranges,
                aws: fakeAwsClientConfig(fakes.glue.url),
                commandPath: '/usr/bin:/bin',
              }),
            ),
          ),
        ),
      )
    expect(await start('')).toMatchObject({ _tag: 'Left', left: { category: 'PERMANENT' } })
    expect(await start('127.0.0.0/8')).toMatchObject({ _tag: 'Right', right: { synchronous: true } })
  })
})
