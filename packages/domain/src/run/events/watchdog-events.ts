import { Schema } from 'effect'
import { AttemptId } from '../../shared/attempt-id.ts'
import { Instant } from '../../shared/instant.ts'
import { decided } from './common.ts'

/** The schedule's expected fire for this period passed and nothing ran; alerted once per period (L6). */
export const ScheduleMissed = Schema.TaggedStruct('ScheduleMissed', {
  ...decided,
  expectedAt: Instant,
  cron: Schema.optional(Schema.String),
}).annotations({ identifier: 'ScheduleMissed' })

/** An inclusion date (C5) passed its expected time with nothing run; alerted once. */
export const InclusionDateMissed = Schema.TaggedStruct('InclusionDateMissed', {
  ...decided,
  expectedAt: Instant,
}).annotations({ identifier: 'InclusionDateMissed' })

/** The watchdog found a satisfied trigger sensor and nothing run, and started the run (§5.5). */
export const TriggerRecovered = Schema.TaggedStruct('TriggerRecovered', {
  ...decided,
  attemptId: AttemptId,
  sensorKey: Schema.String,
}).annotations({ identifier: 'TriggerRecovered' })

/** The auto-trigger window closed with nothing run; only a rerun can reopen the period (§5.7). */
export const TriggerWindowClosed = Schema.TaggedStruct('TriggerWindowClosed', {
  ...decided,
  deadline: Schema.String,
  deadlineAt: Instant,
}).annotations({ identifier: 'TriggerWindowClosed' })

/** No post-run sensor arrived within `postRun.sensorTimeout` of success; alerted once (§5.8, D12). */
export const PostRunSensorMissing = Schema.TaggedStruct('PostRunSensorMissing', {
  ...decided,
  completedAt: Instant,
  sensorTimeout: Schema.String,
  ruleKeys: Schema.Array(Schema.String),
}).annotations({ identifier: 'PostRunSensorMissing' })
