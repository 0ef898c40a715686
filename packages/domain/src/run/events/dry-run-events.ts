import { Schema } from 'effect'
import { RuleResult } from '../../rules/index.ts'
import { Instant } from '../../shared/instant.ts'
import { decided, SensorSnapshot } from './common.ts'

// Dry-run observations (lifecycle §7, ruling L10): what Interlock would have done. They never start, lock,
// retry or rerun anything; `DryRunWouldTrigger` is the period's marker (first one wins).

/** The trigger condition and the validation rules passed: a live pipeline would start a job now. */
export const DryRunWouldTrigger = Schema.TaggedStruct('DryRunWouldTrigger', {
  ...decided,
  sensorKey: Schema.String,
  rulesEvaluated: Schema.Int.pipe(Schema.nonNegative()),
  ruleResults: Schema.Array(RuleResult),
  sensorSnapshot: SensorSnapshot,
}).annotations({ identifier: 'DryRunWouldTrigger' })

/** A passing trigger sensor after the would-trigger point. */
export const DryRunLateData = Schema.TaggedStruct('DryRunLateData', {
  ...decided,
  sensorKey: Schema.String,
  triggeredAt: Instant,
  lateByMs: Schema.Int.pipe(Schema.nonNegative()),
}).annotations({ identifier: 'DryRunLateData' })

/** Would the SLA be met if the job took `expectedDuration` from the would-trigger point (§7.2)? */
export const DryRunSlaProjected = Schema.TaggedStruct('DryRunSlaProjected', {
  ...decided,
  triggeredAt: Instant,
  estimatedCompletion: Instant,
  expectedDuration: Schema.String,
  status: Schema.Literal('met', 'breach'),
  deadlineAt: Schema.optional(Instant),
  marginSeconds: Schema.optional(Schema.Int),
}).annotations({ identifier: 'DryRunSlaProjected' })

/** Closes a would-trigger observation. */
export const DryRunCompleted = Schema.TaggedStruct('DryRunCompleted', {
  ...decided,
  triggeredAt: Instant,
  slaStatus: Schema.Literal('met', 'breach', 'n/a'),
  estimatedCompletion: Schema.optional(Instant),
  deadlineAt: Schema.optional(Instant),
}).annotations({ identifier: 'DryRunCompleted' })

/** A post-run sensor drifted against the dry-run baseline: a live pipeline would rerun. */
export const DryRunDriftDetected = Schema.TaggedStruct('DryRunDriftDetected', {
  ...decided,
  sensorKey: Schema.String,
  ruleKey: Schema.String,
  driftField: Schema.String,
  driftThreshold: Schema.Number,
  previous: Schema.Number,
  current: Schema.Number,
  delta: Schema.Number,
}).annotations({ identifier: 'DryRunDriftDetected' })

/** A rerun request a live pipeline would accept. */
export const DryRunWouldRerun = Schema.TaggedStruct('DryRunWouldRerun', {
  ...decided,
  requestId: Schema.String,
  reason: Schema.String,
  circuitBreaker: Schema.Literal('passed', 'skipped (no job history)'),
  used: Schema.Int.pipe(Schema.nonNegative()),
  budget: Schema.Int.pipe(Schema.nonNegative()),
}).annotations({ identifier: 'DryRunWouldRerun' })

/** A rerun request a live pipeline would refuse. */
export const DryRunRerunRejected = Schema.TaggedStruct('DryRunRerunRejected', {
  ...decided,
  requestId: Schema.String,
  reason: Schema.String,
  rule: Schema.Literal('excluded by calendar', 'limit exceeded', 'circuit breaker'),
  used: Schema.Int.pipe(Schema.nonNegative()),
  budget: Schema.Int.pipe(Schema.nonNegative()),
}).annotations({ identifier: 'DryRunRerunRejected' })

/** A job failure reported for a dry-run pipeline that a live one would retry (§7.5). */
export const DryRunWouldRetry = Schema.TaggedStruct('DryRunWouldRetry', {
  ...decided,
  retries: Schema.Int.pipe(Schema.nonNegative()),
  maxRetries: Schema.Int.pipe(Schema.nonNegative()),
}).annotations({ identifier: 'DryRunWouldRetry' })

/** A job failure reported for a dry-run pipeline that a live one would not retry. */
export const DryRunRetryExhausted = Schema.TaggedStruct('DryRunRetryExhausted', {
  ...decided,
  retries: Schema.Int.pipe(Schema.nonNegative()),
  maxRetries: Schema.Int.pipe(Schema.nonNegative()),
  reason: Schema.Literal('limit exceeded', 'excluded by calendar'),
}).annotations({ identifier: 'DryRunRetryExhausted' })
