import { Schema } from 'effect'
import { AttemptId } from '../../shared/attempt-id.ts'
import { Instant } from '../../shared/instant.ts'
import { decided } from './common.ts'

/** Which rule a rerun decision applied; also the label of a rejection. */
export const RerunRule = Schema.Literal(
  'drift rerun limit exceeded',
  'manual rerun limit exceeded',
  'circuit breaker',
)

/**
 * A rerun request is accepted: the ledger entry (its reason counts against that reason's budget) and the
 * new attempt it starts. `rerunNumber` counts every rerun of the run before this one, from 0.
 */
export const RerunAccepted = Schema.TaggedStruct('RerunAccepted', {
  ...decided,
  requestId: Schema.String,
  reason: Schema.String,
  rerunNumber: Schema.Int.pipe(Schema.nonNegative()),
  used: Schema.Int.pipe(Schema.nonNegative()),
  budget: Schema.Int.pipe(Schema.nonNegative()),
  circuitBreaker: Schema.Literal(
    'passed',
    'skipped (no job history)',
    'skipped (latest outcome not success)',
  ),
  attemptId: AttemptId,
}).annotations({ identifier: 'RerunAccepted' })

/** A rerun request is refused by its budget or by the circuit breaker (R8, R9). */
export const RerunRejected = Schema.TaggedStruct('RerunRejected', {
  ...decided,
  requestId: Schema.String,
  reason: Schema.String,
  rule: RerunRule,
  used: Schema.Int.pipe(Schema.nonNegative()),
  budget: Schema.Int.pipe(Schema.nonNegative()),
}).annotations({ identifier: 'RerunRejected' })

/** A rerun request is refused because the execution period is excluded by the calendar (R4, C7). */
export const RerunBlockedByCalendar = Schema.TaggedStruct('RerunBlockedByCalendar', {
  ...decided,
  requestId: Schema.String,
  reason: Schema.String,
}).annotations({ identifier: 'RerunBlockedByCalendar' })

/** A rerun of a period that never ran (or whose trigger failed to start) cannot run (R10, INFRA_FAILURE). */
export const RerunWithoutRun = Schema.TaggedStruct('RerunWithoutRun', {
  ...decided,
  requestId: Schema.String,
  reason: Schema.String,
}).annotations({ identifier: 'RerunWithoutRun' })

/** A passing trigger sensor arrived after the run succeeded (§3.4); a `late-data` rerun is decided next. */
export const LateDataArrived = Schema.TaggedStruct('LateDataArrived', {
  ...decided,
  sensorKey: Schema.String,
  completedAt: Instant,
}).annotations({ identifier: 'LateDataArrived' })
