import { Schema } from 'effect'
import { AttemptId } from '../shared/attempt-id.ts'
import { FailureCategory } from '../shared/failure-category.ts'
import { Instant } from '../shared/instant.ts'
import { SensorData } from './events/common.ts'

// Every command is for one run stream (`run-<pipelineId>-<scheduleId>-<period>`); the run key, `now`, the
// config and its version arrive in the decision context, not in the command.

/** Record a sensor reading of this period (rulings R1–R3); on the trigger key it may start an attempt. */
export const RecordSensorReading = Schema.TaggedStruct('RecordSensorReading', {
  key: Schema.String.pipe(Schema.minLength(1)),
  data: SensorData,
}).annotations({ identifier: 'RecordSensorReading' })
export type RecordSensorReading = typeof RecordSensorReading.Type

/** The pipeline's cron fired for this period (ruling C4): open the period's evaluation. */
export const FireCron = Schema.TaggedStruct('FireCron', {
  firedAt: Instant,
}).annotations({ identifier: 'FireCron' })
export type FireCron = typeof FireCron.Type

/** Evaluate the validation rules for the live attempt (evaluation tick `evaluationNumber`, from 1). */
export const EvaluateRun = Schema.TaggedStruct('EvaluateRun', {
  attemptId: AttemptId,
  evaluationNumber: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'EvaluateRun' })
export type EvaluateRun = typeof EvaluateRun.Type

/** The schedule's `after` time has come for a period whose start was deferred (`AttemptDeferred`, C14). */
export const StartDeferredAttempt = Schema.TaggedStruct('StartDeferredAttempt', {}).annotations({
  identifier: 'StartDeferredAttempt',
})
export type StartDeferredAttempt = typeof StartDeferredAttempt.Type

/** Try to start the job again after a failed trigger try. */
export const RetryTrigger = Schema.TaggedStruct('RetryTrigger', {
  attemptId: AttemptId,
  triggerTry: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'RetryTrigger' })
export type RetryTrigger = typeof RetryTrigger.Type

/** The trigger started the job of this attempt (its answer to `JobStartRequested`). */
export const RecordJobStarted = Schema.TaggedStruct('RecordJobStarted', {
  attemptId: AttemptId,
  triggerTry: Schema.Int.pipe(Schema.positive()),
  jobType: Schema.String,
  runId: Schema.String,
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  /** http, command and lambda triggers finish inside the start call: success is known at once (A11). */
  synchronous: Schema.Boolean,
}).annotations({ identifier: 'RecordJobStarted' })
export type RecordJobStarted = typeof RecordJobStarted.Type

/** The trigger could not start the job; `category` PERMANENT (payload or config errors) is never retried. */
export const RecordTriggerFailure = Schema.TaggedStruct('RecordTriggerFailure', {
  attemptId: AttemptId,
  triggerTry: Schema.Int.pipe(Schema.positive()),
  error: Schema.String,
  category: Schema.optional(FailureCategory),
}).annotations({ identifier: 'RecordTriggerFailure' })
export type RecordTriggerFailure = typeof RecordTriggerFailure.Type

/** Time to check the job of the live attempt (poll tick `pollNumber`, from 1). */
export const PollJob = Schema.TaggedStruct('PollJob', {
  attemptId: AttemptId,
  pollNumber: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'PollJob' })
export type PollJob = typeof PollJob.Type

/** What a status check of the job found (the processor's answer to `JobStatusCheckRequested`). */
export const RecordJobStatus = Schema.TaggedStruct('RecordJobStatus', {
  attemptId: AttemptId,
  pollNumber: Schema.Int.pipe(Schema.positive()),
  status: Schema.Literal('running', 'succeeded', 'failed', 'timeout'),
  message: Schema.optional(Schema.String),
  category: Schema.optional(FailureCategory),
}).annotations({ identifier: 'RecordJobStatus' })
export type RecordJobStatus = typeof RecordJobStatus.Type

/** The job reported its own outcome (completion callback); it names its attempt (template `{{attemptId}}`). */
export const RecordJobCompletion = Schema.TaggedStruct('RecordJobCompletion', {
  attemptId: AttemptId,
  outcome: Schema.Literal('success', 'fail', 'timeout'),
  runId: Schema.optional(Schema.String),
  error: Schema.optional(Schema.String),
  category: Schema.optional(FailureCategory),
}).annotations({ identifier: 'RecordJobCompletion' })
export type RecordJobCompletion = typeof RecordJobCompletion.Type

/** The job of an attempt reports that it is alive (heartbeat callback, seed 004). */
export const RecordHeartbeat = Schema.TaggedStruct('RecordHeartbeat', {
  attemptId: AttemptId,
}).annotations({ identifier: 'RecordHeartbeat' })
export type RecordHeartbeat = typeof RecordHeartbeat.Type

/** `job.heartbeatTimeout` after heartbeat `sequence` (0: the job's start): missed unless another came since. */
export const CheckHeartbeat = Schema.TaggedStruct('CheckHeartbeat', {
  attemptId: AttemptId,
  sequence: Schema.Int.pipe(Schema.nonNegative()),
}).annotations({ identifier: 'CheckHeartbeat' })
export type CheckHeartbeat = typeof CheckHeartbeat.Type

/** Ask for a rerun of the period; `reason` defaults to `manual` (budgets per reason, lifecycle §3.2). */
export const RequestRerun = Schema.TaggedStruct('RequestRerun', {
  requestId: Schema.String.pipe(Schema.minLength(1)),
  reason: Schema.optional(Schema.String),
}).annotations({ identifier: 'RequestRerun' })
export type RequestRerun = typeof RequestRerun.Type

/** An SLA timer fired (scheduled by `SlaScheduled`). */
export const FireSlaTimer = Schema.TaggedStruct('FireSlaTimer', {
  kind: Schema.Literal('absolute', 'relative'),
  alert: Schema.Literal('warning', 'breach'),
}).annotations({ identifier: 'FireSlaTimer' })
export type FireSlaTimer = typeof FireSlaTimer.Type

/** Watchdog: compute and store the period's SLA instants now, before any sensor arrives (§5.6). */
export const ScheduleSla = Schema.TaggedStruct('ScheduleSla', {}).annotations({ identifier: 'ScheduleSla' })
export type ScheduleSla = typeof ScheduleSla.Type

/** Watchdog: end a live attempt whose lock expired (§5.2). */
export const CheckStaleRun = Schema.TaggedStruct('CheckStaleRun', {}).annotations({
  identifier: 'CheckStaleRun',
})
export type CheckStaleRun = typeof CheckStaleRun.Type

/**
 * Watchdog: the schedule should have fired for this period at `expectedAt`; alert once if nothing ran
 * (§5.3, ruling L6). `monitoringSince` is when the pipeline was first registered (D10).
 */
export const CheckMissedSchedule = Schema.TaggedStruct('CheckMissedSchedule', {
  expectedAt: Instant,
  monitoringSince: Instant,
}).annotations({ identifier: 'CheckMissedSchedule' })
export type CheckMissedSchedule = typeof CheckMissedSchedule.Type

/** Watchdog: this period is an inclusion date whose expected time has passed (§5.4, C5). */
export const CheckInclusionDate = Schema.TaggedStruct('CheckInclusionDate', {
  expectedAt: Instant,
}).annotations({ identifier: 'CheckInclusionDate' })
export type CheckInclusionDate = typeof CheckInclusionDate.Type

/** Watchdog: start the run if a stored trigger sensor satisfies the condition but nothing ran (§5.5). */
export const ReconcileTrigger = Schema.TaggedStruct('ReconcileTrigger', {}).annotations({
  identifier: 'ReconcileTrigger',
})
export type ReconcileTrigger = typeof ReconcileTrigger.Type

/** Watchdog: post-run sensors should have arrived within `postRun.sensorTimeout` of success (§5.8). */
export const CheckPostRunSensors = Schema.TaggedStruct('CheckPostRunSensors', {}).annotations({
  identifier: 'CheckPostRunSensors',
})
export type CheckPostRunSensors = typeof CheckPostRunSensors.Type

/** Watchdog: relative SLA (`sla.maxDuration`) as defence in depth behind its timers (§5.9, L5). */
export const CheckRelativeSla = Schema.TaggedStruct('CheckRelativeSla', {}).annotations({
  identifier: 'CheckRelativeSla',
})
export type CheckRelativeSla = typeof CheckRelativeSla.Type

/** Watchdog: close the auto-trigger window when `schedule.trigger.deadline` passed and nothing ran (§5.7). */
export const CheckTriggerDeadline = Schema.TaggedStruct('CheckTriggerDeadline', {
  deadlineAt: Instant,
}).annotations({ identifier: 'CheckTriggerDeadline' })
export type CheckTriggerDeadline = typeof CheckTriggerDeadline.Type

/**
 * Seed 001's `run` (`POST /api/pipelines/{id}/run`): evaluate the period's rules now on its stored sensors
 * and start an attempt when they pass. Only a period that has not run yet may be run this way; a run that
 * is live or finished is refused (a finished one is rerun with `RequestRerun`).
 */
export const RunNow = Schema.TaggedStruct('RunNow', {
  requestId: Schema.String.pipe(Schema.minLength(1)),
}).annotations({ identifier: 'RunNow' })
export type RunNow = typeof RunNow.Type

/** Commands a timer may carry (`TimerRequested.command`). */
export const TimerCommand = Schema.Union(
  StartDeferredAttempt,
  EvaluateRun,
  RetryTrigger,
  PollJob,
  FireSlaTimer,
  CheckHeartbeat,
).annotations({
  identifier: 'TimerCommand',
})
export type TimerCommand = typeof TimerCommand.Type

/** Every command of a run stream. */
export const RunCommand = Schema.Union(
  RecordSensorReading,
  FireCron,
  StartDeferredAttempt,
  EvaluateRun,
  RetryTrigger,
  RecordJobStarted,
  RecordTriggerFailure,
  PollJob,
  RecordJobStatus,
  RecordJobCompletion,
  RecordHeartbeat,
  CheckHeartbeat,
  RequestRerun,
  RunNow,
  FireSlaTimer,
  ScheduleSla,
  CheckStaleRun,
  CheckMissedSchedule,
  CheckInclusionDate,
  ReconcileTrigger,
  CheckPostRunSensors,
  CheckRelativeSla,
  CheckTriggerDeadline,
).annotations({ identifier: 'RunCommand' })
export type RunCommand = typeof RunCommand.Type
