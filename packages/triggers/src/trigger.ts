import { FailureCategory } from '@interlock/domain'
import { type Effect, Schema } from 'effect'
import type { TriggerError } from './failure/trigger-error.ts'
import type { RunContext } from './text/template-variables.ts'

/**
 * What status and cancel need to find a started job again. JSON-safe and free of secrets, so the
 * processor stores it in the `JobSubmitted` event as it is.
 */
export const JobHandle = Schema.Struct({
  /** The service's own id of the run (Glue run id, execution ARN, DAG run id, …), never empty (T1). */
  externalRunId: Schema.String,
  metadata: Schema.Record({ key: Schema.String, value: Schema.String }),
}).annotations({ identifier: 'JobHandle' })
export type JobHandle = typeof JobHandle.Type

/** The answer of a start: the handle, and whether the job already finished (command, lambda, http). */
export const JobStarted = Schema.Struct({
  ...JobHandle.fields,
  /** True when the job ran to success inside the start call: there is nothing to poll. */
  synchronous: Schema.Boolean,
  message: Schema.String,
}).annotations({ identifier: 'JobStarted' })
export type JobStarted = typeof JobStarted.Type

export const JobRunning = Schema.TaggedStruct('JobRunning', { message: Schema.String })
export const JobSucceeded = Schema.TaggedStruct('JobSucceeded', { message: Schema.String })
export const JobFailed = Schema.TaggedStruct('JobFailed', {
  message: Schema.String,
  category: FailureCategory,
})

/** What a status poll found; `message` is the service's own state (`RUNNING`, `TERMINATED/FAILED`, …). */
export const JobStatus = Schema.Union(JobRunning, JobSucceeded, JobFailed).annotations({
  identifier: 'JobStatus',
})
export type JobStatus = typeof JobStatus.Type

export const CancelRequested = Schema.TaggedStruct('CancelRequested', { message: Schema.String })
export const CancelNotSupported = Schema.TaggedStruct('CancelNotSupported', { reason: Schema.String })

/** What a cancel did: the service accepted the request, or the job type has nothing to cancel. */
export const JobCancelled = Schema.Union(CancelRequested, CancelNotSupported).annotations({
  identifier: 'JobCancelled',
})
export type JobCancelled = typeof JobCancelled.Type

export const running = (message: string): JobStatus => ({ _tag: 'JobRunning', message })
export const succeeded = (message: string): JobStatus => ({ _tag: 'JobSucceeded', message })
export const failed = (message: string, category: FailureCategory): JobStatus => ({
  _tag: 'JobFailed',
  message,
  category,
})

/** The message of every status poll of a synchronous job type (spec §5.5). */
export const NON_POLLING = 'non-polling trigger type'

/** One job type: start a job for a run, poll its status, cancel it. Every failure is a classified TriggerError. */
export interface Trigger<Config> {
  readonly start: (config: Config, context: RunContext) => Effect.Effect<JobStarted, TriggerError>
  /** `context` is the run the job was started for: status calls render the same templates (T1). */
  readonly status: (
    config: Config,
    handle: JobHandle,
    context: RunContext,
  ) => Effect.Effect<JobStatus, TriggerError>
  readonly cancel: (
    config: Config,
    handle: JobHandle,
    context: RunContext,
  ) => Effect.Effect<JobCancelled, TriggerError>
}
