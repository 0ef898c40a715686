import { Schema } from 'effect'
import { RuleResult } from '../../rules/index.ts'
import { AttemptId } from '../../shared/attempt-id.ts'
import { FailureCategory } from '../../shared/failure-category.ts'
import { Instant } from '../../shared/instant.ts'
import { AttemptCause, decided, ofAttempt, SensorSnapshot } from './common.ts'

/**
 * The timing an attempt runs with, taken from the config when it starts (lifecycle §1.3) so that a config
 * change never stretches or cuts an attempt already under way.
 */
export const AttemptTiming = Schema.Struct({
  evaluationIntervalMs: Schema.Int.pipe(Schema.positive()),
  evaluationWindowMs: Schema.Int.pipe(Schema.positive()),
  jobPollIntervalMs: Schema.Int.pipe(Schema.positive()),
  jobPollWindowMs: Schema.Int.pipe(Schema.positive()),
  triggerMaxTries: Schema.Int.pipe(Schema.positive()),
  triggerBackoffMs: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'AttemptTiming' })
export type AttemptTiming = typeof AttemptTiming.Type

/** A new attempt holds the run's lock: one live attempt per period (lifecycle §2, ruling L1). */
export const AttemptStarted = Schema.TaggedStruct('AttemptStarted', {
  ...ofAttempt,
  attemptNumber: Schema.Int.pipe(Schema.positive()),
  cause: AttemptCause,
  lockExpiresAt: Instant,
  timing: AttemptTiming,
  sensorKey: Schema.optional(Schema.String),
  rerunReason: Schema.optional(Schema.String),
}).annotations({ identifier: 'AttemptStarted' })

/**
 * The period was opened (passing trigger sensor, cron fire or reconciliation) before its schedule's `after`
 * time (C14, seed 001): no attempt starts and nothing is evaluated until `notBefore`, the period's date at
 * `after` in the schedule's zone, when `StartDeferredAttempt` (a timer) starts it.
 */
export const AttemptDeferred = Schema.TaggedStruct('AttemptDeferred', {
  ...decided,
  cause: Schema.Literal('sensor', 'cron', 'recovered'),
  sensorKey: Schema.optional(Schema.String),
  after: Schema.String,
  timezone: Schema.String,
  notBefore: Instant,
}).annotations({ identifier: 'AttemptDeferred' })

/** A live attempt was replaced by a newer one; its late results are recorded but change nothing (L1). */
export const AttemptSuperseded = Schema.TaggedStruct('AttemptSuperseded', {
  ...ofAttempt,
  supersededBy: AttemptId,
}).annotations({ identifier: 'AttemptSuperseded' })

/** One evaluation of the validation rule set, with every rule's verdict and the sensors it saw. */
export const RunEvaluated = Schema.TaggedStruct('RunEvaluated', {
  ...ofAttempt,
  evaluationNumber: Schema.Int.pipe(Schema.positive()),
  mode: Schema.Literal('ALL', 'ANY'),
  passed: Schema.Boolean,
  ruleResults: Schema.Array(RuleResult),
  sensorSnapshot: SensorSnapshot,
}).annotations({ identifier: 'RunEvaluated' })

/**
 * A `RunNow` request evaluated the period's rules on its stored sensors: when they passed an attempt
 * (cause `manual`) follows in the same decision; when not, this records the blocking rules and nothing starts.
 */
export const RunNowEvaluated = Schema.TaggedStruct('RunNowEvaluated', {
  ...decided,
  requestId: Schema.String,
  mode: Schema.Literal('ALL', 'ANY'),
  passed: Schema.Boolean,
  ruleResults: Schema.Array(RuleResult),
  sensorSnapshot: SensorSnapshot,
}).annotations({ identifier: 'RunNowEvaluated' })

/** An evaluation tick that did not evaluate because the pipeline is paused; the window keeps running. */
export const EvaluationSkipped = Schema.TaggedStruct('EvaluationSkipped', {
  ...ofAttempt,
  evaluationNumber: Schema.Int.pipe(Schema.positive()),
  reason: Schema.Literal('pipeline paused'),
}).annotations({ identifier: 'EvaluationSkipped' })

/** The evaluation window closed without a passing evaluation: the attempt ends (ruling L2). */
export const ValidationExhausted = Schema.TaggedStruct('ValidationExhausted', {
  ...ofAttempt,
  evaluations: Schema.Int.pipe(Schema.nonNegative()),
  windowMs: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'ValidationExhausted' })

/** Starting the job failed (one trigger try); retried after `retryAt` unless the failure is permanent. */
export const TriggerFailed = Schema.TaggedStruct('TriggerFailed', {
  ...ofAttempt,
  triggerTry: Schema.Int.pipe(Schema.positive()),
  error: Schema.String,
  category: Schema.optional(FailureCategory),
  retryAt: Schema.optional(Instant),
}).annotations({ identifier: 'TriggerFailed' })

/** No trigger try started the job: the attempt ends and the lock is released (A14, D5). */
export const TriggerRetriesExhausted = Schema.TaggedStruct('TriggerRetriesExhausted', {
  ...ofAttempt,
  tries: Schema.Int.pipe(Schema.positive()),
  lastError: Schema.String,
}).annotations({ identifier: 'TriggerRetriesExhausted' })

/** The job of an attempt was started by its trigger; `runId` is the external run id (ruling T1). */
export const JobStarted = Schema.TaggedStruct('JobStarted', {
  ...ofAttempt,
  triggerTry: Schema.Int.pipe(Schema.positive()),
  jobType: Schema.String,
  runId: Schema.String,
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  synchronous: Schema.Boolean,
}).annotations({ identifier: 'JobStarted' })

/** Where a job outcome was learnt. */
export const ObservedBy = Schema.Literal('poll', 'callback', 'synchronous-trigger', 'heartbeat')

/** The attempt's job succeeded: the run is complete. */
export const JobSucceeded = Schema.TaggedStruct('JobSucceeded', {
  ...ofAttempt,
  runId: Schema.String,
  observedBy: ObservedBy,
}).annotations({ identifier: 'JobSucceeded' })

/** Why a readiness-only run ends without a job: stored in the event, read in explain and alerts. */
export const READINESS_ONLY_REASON = 'readiness-only pipeline: no job to start'

/**
 * The attempt's evaluation passed on a readiness-only pipeline (`job: {type: none}`, seed 001's pipeline
 * without a trigger): the period is READY and the run is complete, as after a job's success (SLA verdict,
 * post-run baseline, reruns), with no job started.
 */
export const RunCompletedWithoutJob = Schema.TaggedStruct('RunCompletedWithoutJob', {
  ...ofAttempt,
  reason: Schema.Literal(READINESS_ONLY_REASON),
}).annotations({ identifier: 'RunCompletedWithoutJob' })

/** The attempt's job failed (`fail`) or timed out (`timeout`), with the failure category when known. */
export const JobFailed = Schema.TaggedStruct('JobFailed', {
  ...ofAttempt,
  runId: Schema.String,
  outcome: Schema.Literal('fail', 'timeout'),
  error: Schema.String,
  category: Schema.optional(FailureCategory),
  observedBy: ObservedBy,
}).annotations({ identifier: 'JobFailed' })

/** The job was still running when the poll window closed: the attempt ends as failed, not retried (A23). */
export const JobPollExhausted = Schema.TaggedStruct('JobPollExhausted', {
  ...ofAttempt,
  runId: Schema.String,
  polls: Schema.Int.pipe(Schema.nonNegative()),
  windowMs: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'JobPollExhausted' })

/** A result for an attempt that is no longer the live one: kept for the record, changes nothing (L1). */
export const StaleJobResultRecorded = Schema.TaggedStruct('StaleJobResultRecorded', {
  ...ofAttempt,
  result: Schema.Literal('started', 'trigger-failed', 'running', 'succeeded', 'failed', 'timeout'),
  runId: Schema.optional(Schema.String),
  detail: Schema.optional(Schema.String),
}).annotations({ identifier: 'StaleJobResultRecorded' })

/** The live attempt's lock expired without an outcome: the watchdog ends the run (lifecycle §5.2). */
export const RunTimedOut = Schema.TaggedStruct('RunTimedOut', {
  ...ofAttempt,
  lockExpiredAt: Instant,
}).annotations({ identifier: 'RunTimedOut' })

/** A job failure is retried with a new attempt (lifecycle §1.8, ruling L3): recorded before the attempt. */
export const RetryGranted = Schema.TaggedStruct('RetryGranted', {
  ...decided,
  failedAttemptId: AttemptId,
  retryNumber: Schema.Int.pipe(Schema.positive()),
  budget: Schema.Int.pipe(Schema.nonNegative()),
  category: Schema.optional(FailureCategory),
}).annotations({ identifier: 'RetryGranted' })

/** The retry budget of the failure's category is spent: the run fails for good. */
export const RetryBudgetExhausted = Schema.TaggedStruct('RetryBudgetExhausted', {
  ...decided,
  failedAttemptId: AttemptId,
  retries: Schema.Int.pipe(Schema.nonNegative()),
  budget: Schema.Int.pipe(Schema.nonNegative()),
  category: Schema.optional(FailureCategory),
}).annotations({ identifier: 'RetryBudgetExhausted' })

/** A job failure is not retried because the execution period is excluded by the calendar (F6, C7). */
export const RetryBlockedByCalendar = Schema.TaggedStruct('RetryBlockedByCalendar', {
  ...decided,
  failedAttemptId: AttemptId,
}).annotations({ identifier: 'RetryBlockedByCalendar' })
