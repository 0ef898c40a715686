import type { JobConfig } from '@interlock/domain'
import { Context, Effect, Layer } from 'effect'
import { makeAirflowTrigger } from './airflow/airflow-trigger.ts'
import {
  type AwsClientSettings,
  type AwsClients,
  destroyAwsClients,
  makeAwsClients,
} from './aws/aws-clients.ts'
import { makeCommandTrigger } from './command/command-trigger.ts'
import { makeDatabricksTrigger } from './databricks/databricks-trigger.ts'
import { makeEmrTrigger } from './emr/emr-trigger.ts'
import { makeEmrServerlessTrigger } from './emr-serverless/emr-serverless-trigger.ts'
import type { TriggerError } from './failure/trigger-error.ts'
import { makeGlueTrigger } from './glue/glue-trigger.ts'
import { makeHttpTrigger } from './http/http-trigger.ts'
import { makeLambdaTrigger } from './lambda/lambda-trigger.ts'
import type { Cidr } from './outbound/ip-address.ts'
import { makeOutboundHttp, type OutboundHttp } from './outbound/outbound-http.ts'
import { type PollOutcome, type PollWindow, pollJob } from './poll-job.ts'
import { makeStepFunctionTrigger } from './step-function/step-function-trigger.ts'
import type { InterlockEnvironment } from './text/env-expansion.ts'
import type { RunContext } from './text/template-variables.ts'
import type { JobCancelled, JobHandle, JobStarted, JobStatus, Trigger } from './trigger.ts'

/** Who a job is started for, besides its period: the values of `{{pipelineId}}` and `{{attemptId}}`. */
export interface RunIdentity {
  readonly pipelineId: string
  readonly attemptId: string
}

/** Starts, polls and cancels the job of a pipeline, whatever its type. */
export interface TriggerRunner {
  /** Starts the job of one attempt; synchronous types (command, http, lambda) run to their end here. */
  readonly start: (
    job: JobConfig,
    period: string,
    run: RunIdentity,
  ) => Effect.Effect<JobStarted, TriggerError>
  readonly status: (
    job: JobConfig,
    handle: JobHandle,
    period: string,
    run: RunIdentity,
  ) => Effect.Effect<JobStatus, TriggerError>
  readonly cancel: (
    job: JobConfig,
    handle: JobHandle,
    period: string,
    run: RunIdentity,
  ) => Effect.Effect<JobCancelled, TriggerError>
  /** One poll within the job's poll window: cancels and ends the run as TIMEOUT once the window is spent. */
  readonly poll: (
    job: JobConfig,
    handle: JobHandle,
    period: string,
    run: RunIdentity,
    window: PollWindow,
  ) => Effect.Effect<PollOutcome>
}

/** What the nine job types need, built once by the app. */
export interface TriggerDependencies {
  readonly environment: InterlockEnvironment
  readonly http: OutboundHttp
  readonly aws: AwsClients
  /** `PATH` of command jobs. */
  readonly commandPath: string
  readonly commandTimeoutMs?: number
}

type AnyTrigger = Trigger<never>

/** The trigger of every job type, built from the dependencies. */
export const makeTriggerRunner = (dependencies: TriggerDependencies): TriggerRunner => {
  const { environment, http, aws } = dependencies
  const byType = {
    command: makeCommandTrigger({
      path: dependencies.commandPath,
      environment,
      ...(dependencies.commandTimeoutMs === undefined ? {} : { timeoutMs: dependencies.commandTimeoutMs }),
    }),
    http: makeHttpTrigger({ http, environment }),
    airflow: makeAirflowTrigger({ http, environment }),
    databricks: makeDatabricksTrigger({ http, environment }),
    glue: makeGlueTrigger({ glue: aws.glue, logs: aws.logs }),
    emr: makeEmrTrigger({ emr: aws.emr }),
    'emr-serverless': makeEmrServerlessTrigger({ emrServerless: aws.emrServerless }),
    'step-function': makeStepFunctionTrigger({ stepFunctions: aws.stepFunctions }),
    lambda: makeLambdaTrigger({ lambda: aws.lambda, environment }),
  } satisfies Record<JobConfig['type'], unknown>
  // `job.type` picks both the trigger and the type of `job.config`; the union keeps them paired.
  const triggerOf = (job: JobConfig): { readonly trigger: Trigger<unknown>; readonly config: unknown } => ({
    trigger: byType[job.type] as AnyTrigger as Trigger<unknown>,
    config: job.config,
  })
  const context = (period: string, run: RunIdentity): RunContext => ({ ...run, period })
  return {
    start: (job, period, run) => {
      const { trigger, config } = triggerOf(job)
      return trigger.start(config, context(period, run))
    },
    status: (job, handle, period, run) => {
      const { trigger, config } = triggerOf(job)
      return trigger.status(config, handle, context(period, run))
    },
    cancel: (job, handle, period, run) => {
      const { trigger, config } = triggerOf(job)
      return trigger.cancel(config, handle, context(period, run))
    },
    poll: (job, handle, period, run, window) => {
      const { trigger, config } = triggerOf(job)
      return pollJob(trigger, config, handle, context(period, run), window)
    },
  }
}

/** The trigger runner as a service. */
export class Triggers extends Context.Tag('interlock/Triggers')<Triggers, TriggerRunner>() {}

/** What the app reads from its configuration (`INTERLOCK_ALLOW_PRIVATE_TARGETS`, AWS settings, PATH). */
export interface TriggersConfig {
  readonly environment: InterlockEnvironment
  readonly allowPrivateTargets: ReadonlyArray<Cidr>
  readonly aws: AwsClientSettings
  readonly commandPath: string
  readonly commandTimeoutMs?: number
}

/** The production layer: one outbound HTTP client and one set of AWS clients, released with the scope. */
export const triggersLayer = (config: TriggersConfig): Layer.Layer<Triggers> =>
  Layer.scoped(
    Triggers,
    Effect.gen(function* () {
      const http = yield* Effect.acquireRelease(
        Effect.sync(() => makeOutboundHttp({ allowPrivateTargets: config.allowPrivateTargets })),
        (client) => Effect.promise(() => client.close()),
      )
      const aws = yield* Effect.acquireRelease(
        Effect.sync(() => makeAwsClients(config.aws)),
        (clients) => Effect.sync(() => destroyAwsClients(clients)),
      )
      return makeTriggerRunner({
        environment: config.environment,
        http,
        aws,
        commandPath: config.commandPath,
        ...(config.commandTimeoutMs === undefined ? {} : { commandTimeoutMs: config.commandTimeoutMs }),
      })
    }),
  )
