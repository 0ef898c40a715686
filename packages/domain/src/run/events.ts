import { Schema } from 'effect'
import {
  AttemptDeferred,
  AttemptStarted,
  AttemptSuperseded,
  EvaluationSkipped,
  JobFailed,
  JobPollExhausted,
  JobStarted,
  JobSucceeded,
  RetryBlockedByCalendar,
  RetryBudgetExhausted,
  RetryGranted,
  RunCompletedWithoutJob,
  RunEvaluated,
  RunNowEvaluated,
  RunTimedOut,
  StaleJobResultRecorded,
  TriggerFailed,
  TriggerRetriesExhausted,
  ValidationExhausted,
} from './events/attempt-events.ts'
import {
  DryRunCompleted,
  DryRunDriftDetected,
  DryRunLateData,
  DryRunRerunRejected,
  DryRunRetryExhausted,
  DryRunSlaProjected,
  DryRunWouldRerun,
  DryRunWouldRetry,
  DryRunWouldTrigger,
} from './events/dry-run-events.ts'
import { JobHeartbeatMissed, JobHeartbeatRecorded } from './events/heartbeat-events.ts'
import {
  JobCancelRequested,
  JobStartRequested,
  JobStatusCheckRequested,
  TimerRequested,
} from './events/intent-events.ts'
import {
  DriftRerunBlockedByCalendar,
  DriftRerunRequested,
  PostRunBaselineCaptured,
  PostRunBaselineCleared,
  PostRunDriftDetected,
  PostRunValidated,
} from './events/post-run-events.ts'
import {
  LateDataArrived,
  RerunAccepted,
  RerunBlockedByCalendar,
  RerunRejected,
  RerunWithoutRun,
} from './events/rerun-events.ts'
import { FirstSensorArrivalRecorded, SensorReadingRecorded, TriggerExcluded } from './events/sensor-events.ts'
import { SlaBreachRaised, SlaScheduled, SlaVerdictReached, SlaWarningRaised } from './events/sla-events.ts'
import {
  InclusionDateMissed,
  PostRunSensorMissing,
  ScheduleMissed,
  TriggerRecovered,
  TriggerWindowClosed,
} from './events/watchdog-events.ts'

/**
 * Every event of a run stream (`run-<pipelineId>-<scheduleId>-<period>`). `_tag` is the type stored in
 * the log; all are schema version 1. `public-events.ts` maps each to the original's public event name.
 */
export const RunEvent = Schema.Union(
  SensorReadingRecorded,
  FirstSensorArrivalRecorded,
  TriggerExcluded,
  AttemptDeferred,
  AttemptStarted,
  AttemptSuperseded,
  RunEvaluated,
  RunNowEvaluated,
  EvaluationSkipped,
  ValidationExhausted,
  JobStartRequested,
  TriggerFailed,
  TriggerRetriesExhausted,
  JobStarted,
  JobStatusCheckRequested,
  JobSucceeded,
  RunCompletedWithoutJob,
  JobFailed,
  JobPollExhausted,
  JobHeartbeatRecorded,
  JobHeartbeatMissed,
  StaleJobResultRecorded,
  JobCancelRequested,
  TimerRequested,
  RunTimedOut,
  RetryGranted,
  RetryBudgetExhausted,
  RetryBlockedByCalendar,
  RerunAccepted,
  RerunRejected,
  RerunBlockedByCalendar,
  RerunWithoutRun,
  LateDataArrived,
  PostRunBaselineCaptured,
  PostRunBaselineCleared,
  PostRunDriftDetected,
  DriftRerunRequested,
  DriftRerunBlockedByCalendar,
  PostRunValidated,
  SlaScheduled,
  SlaWarningRaised,
  SlaBreachRaised,
  SlaVerdictReached,
  ScheduleMissed,
  InclusionDateMissed,
  TriggerRecovered,
  TriggerWindowClosed,
  PostRunSensorMissing,
  DryRunWouldTrigger,
  DryRunLateData,
  DryRunSlaProjected,
  DryRunCompleted,
  DryRunDriftDetected,
  DryRunWouldRerun,
  DryRunRerunRejected,
  DryRunWouldRetry,
  DryRunRetryExhausted,
).annotations({ identifier: 'RunEvent' })
export type RunEvent = typeof RunEvent.Type

/** The stored event types of a run stream. */
export type RunEventType = RunEvent['_tag']

/** One run event by its tag. */
export type RunEventOf<Tag extends RunEventType> = Extract<RunEvent, { readonly _tag: Tag }>

/** Schema version of every run event type today; bump per type with an upcaster in the event store. */
export const RUN_EVENT_SCHEMA_VERSION = 1
