import { Schema } from 'effect'
import { RuleResult } from '../../rules/index.ts'
import { AttemptId } from '../../shared/attempt-id.ts'
import { decided, SensorData, SensorSnapshot } from './common.ts'

/** The post-run baseline: the whole sensor data of each post-run rule key at success (§4.1). */
export const PostRunBaselineCaptured = Schema.TaggedStruct('PostRunBaselineCaptured', {
  ...decided,
  attemptId: Schema.NullOr(AttemptId),
  baseline: Schema.Record({ key: Schema.String, value: SensorData }),
}).annotations({ identifier: 'PostRunBaselineCaptured' })

/** The baseline is dropped when a rerun is accepted, so the rerun captures a fresh one (R11). */
export const PostRunBaselineCleared = Schema.TaggedStruct('PostRunBaselineCleared', {
  ...decided,
}).annotations({ identifier: 'PostRunBaselineCleared' })

/** A post-run sensor moved `driftField` by more than `driftThreshold` against the baseline (§4.3). */
export const PostRunDriftDetected = Schema.TaggedStruct('PostRunDriftDetected', {
  ...decided,
  sensorKey: Schema.String,
  ruleKey: Schema.String,
  driftField: Schema.String,
  driftThreshold: Schema.Number,
  previous: Schema.Number,
  current: Schema.Number,
  delta: Schema.Number,
  /** True while an attempt is live: informational only, never a rerun (P5). */
  inflight: Schema.Boolean,
}).annotations({ identifier: 'PostRunDriftDetected' })

/** Drift after success asks for a `data-drift` rerun (P7); the rerun decision follows. */
export const DriftRerunRequested = Schema.TaggedStruct('DriftRerunRequested', {
  ...decided,
  sensorKey: Schema.String,
  previous: Schema.Number,
  current: Schema.Number,
}).annotations({ identifier: 'DriftRerunRequested' })

/** Drift after success on an excluded execution period: alerted, but no rerun (P7, C7). */
export const DriftRerunBlockedByCalendar = Schema.TaggedStruct('DriftRerunBlockedByCalendar', {
  ...decided,
  sensorKey: Schema.String,
}).annotations({ identifier: 'DriftRerunBlockedByCalendar' })

/** The post-run rules (always ALL) evaluated after success, with each verdict and the sensors seen (P8). */
export const PostRunValidated = Schema.TaggedStruct('PostRunValidated', {
  ...decided,
  sensorKey: Schema.String,
  passed: Schema.Boolean,
  ruleResults: Schema.Array(RuleResult),
  sensorSnapshot: SensorSnapshot,
}).annotations({ identifier: 'PostRunValidated' })
