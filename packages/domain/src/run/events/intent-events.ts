import { Schema } from 'effect'
import type { AttemptId } from '../../shared/attempt-id.ts'
import { Instant } from '../../shared/instant.ts'
import { TimerCommand } from '../commands.ts'
import { decided, ofAttempt } from './common.ts'

// Reactor intents: decisions that need the outside world. The processor performs each one idempotently
// (keyed as documented on each) and reports back with a command; a replay shows what was asked and when.

/**
 * Start the job of this attempt (trigger try `triggerTry`). Idempotency key: `attemptId` + `triggerTry`;
 * the decider asks for try n+1 only after try n is recorded as failed, so an attempt starts at most one job.
 * Answered by `RecordJobStarted` or `RecordTriggerFailure`.
 */
export const JobStartRequested = Schema.TaggedStruct('JobStartRequested', {
  ...ofAttempt,
  triggerTry: Schema.Int.pipe(Schema.positive()),
  jobType: Schema.String,
}).annotations({ identifier: 'JobStartRequested' })

/** Ask the job's service for its status (poll `pollNumber`). Answered by `RecordJobStatus`. */
export const JobStatusCheckRequested = Schema.TaggedStruct('JobStatusCheckRequested', {
  ...ofAttempt,
  pollNumber: Schema.Int.pipe(Schema.positive()),
  jobType: Schema.String,
  runId: Schema.String,
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
}).annotations({ identifier: 'JobStatusCheckRequested' })

/** Cancel the job of a superseded attempt where its job type allows it (L1); nothing reports back. */
export const JobCancelRequested = Schema.TaggedStruct('JobCancelRequested', {
  ...ofAttempt,
  jobType: Schema.String,
  runId: Schema.String,
  metadata: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  reason: Schema.Literal('superseded'),
}).annotations({ identifier: 'JobCancelRequested' })

/**
 * Send `command` to this run stream at `fireAt`. `timerId` is deterministic (pg-boss singleton key), so a
 * replayed or repeated request schedules one timer. The decider re-checks the state when the command
 * arrives, so an early, late, duplicate or lost timer is harmless.
 */
export const TimerRequested = Schema.TaggedStruct('TimerRequested', {
  ...decided,
  timerId: Schema.String,
  fireAt: Instant,
  command: TimerCommand,
}).annotations({ identifier: 'TimerRequested' })

/** Timer ids: `deferred-start/<fireAt>`, `<attemptId>/evaluate/<n>`, `<attemptId>/trigger/<try>`, `<attemptId>/poll/<n>`, `<attemptId>/heartbeat/<n>`, `sla/<kind>/<alert>`. */
export const timerIdFor = {
  deferredStart: (fireAt: string) => `deferred-start/${fireAt}`,
  evaluation: (attemptId: AttemptId, evaluationNumber: number) => `${attemptId}/evaluate/${evaluationNumber}`,
  trigger: (attemptId: AttemptId, triggerTry: number) => `${attemptId}/trigger/${triggerTry}`,
  poll: (attemptId: AttemptId, pollNumber: number) => `${attemptId}/poll/${pollNumber}`,
  heartbeat: (attemptId: AttemptId, sequence: number) => `${attemptId}/heartbeat/${sequence}`,
  sla: (kind: 'absolute' | 'relative', alert: 'warning' | 'breach') => `sla/${kind}/${alert}`,
}
