import { Schema } from 'effect'

/** How a period ended, or where it stands at the end of the history. */
export const PeriodOutcome = Schema.Literal(
  'succeeded',
  'failed',
  'validation-exhausted',
  'excluded',
  'not-triggered',
  'waiting',
  'running',
  'would-trigger',
).annotations({ identifier: 'PeriodOutcome' })
export type PeriodOutcome = typeof PeriodOutcome.Type

/** What one config decided for one period. */
export const PeriodDecision = Schema.Struct({
  outcome: PeriodOutcome,
  /** The first job start asked for (a dry run's would-trigger point); null when nothing was triggered. */
  triggeredAt: Schema.NullOr(Schema.String),
  /** Rules that failed an evaluation before the trigger (all of them when nothing was triggered), as `key.field check value`. */
  blockedBy: Schema.Array(Schema.String),
  validationExhausted: Schema.Boolean,
  /** The calendar excluded a trigger, retry or rerun of the period. */
  excluded: Schema.Boolean,
  sla: Schema.Struct({
    warning: Schema.Boolean,
    breach: Schema.Boolean,
    verdict: Schema.NullOr(Schema.Literal('met', 'breached')),
  }),
  driftReruns: Schema.Int,
  attempts: Schema.Int,
}).annotations({ identifier: 'PeriodDecision' })
export type PeriodDecision = typeof PeriodDecision.Type

/** The fields of a decision a comparison reports when they differ. */
export const DecisionField = Schema.Literal(
  'outcome',
  'triggeredAt',
  'blockedBy',
  'validationExhausted',
  'excluded',
  'slaWarning',
  'slaBreach',
  'slaVerdict',
  'driftReruns',
  'attempts',
)
export type DecisionField = typeof DecisionField.Type

/** Live against candidate for one period. */
export const PeriodComparison = Schema.Struct({
  scheduleId: Schema.String,
  period: Schema.String,
  live: PeriodDecision,
  candidate: PeriodDecision,
  /** How the trigger moved: `same` also covers "neither triggered". */
  trigger: Schema.Literal('same', 'earlier', 'later', 'never', 'newly'),
  differences: Schema.Array(DecisionField),
}).annotations({ identifier: 'PeriodComparison' })
export type PeriodComparison = typeof PeriodComparison.Type

const RuleCount = Schema.Struct({ rule: Schema.String, periods: Schema.Int })

/** Totals over the compared periods. */
export const BacktestSummary = Schema.Struct({
  periods: Schema.Int,
  differing: Schema.Int,
  triggeredEarlier: Schema.Int,
  triggeredLater: Schema.Int,
  neverTriggered: Schema.Int,
  newlyTriggered: Schema.Int,
  slaVerdictChanges: Schema.Array(
    Schema.Struct({
      scheduleId: Schema.String,
      period: Schema.String,
      live: Schema.NullOr(Schema.String),
      candidate: Schema.NullOr(Schema.String),
    }),
  ),
  /** The rules that blocked most periods, most first. */
  blockingRules: Schema.Struct({ live: Schema.Array(RuleCount), candidate: Schema.Array(RuleCount) }),
  /** Recorded events read and candidate events decided, and the commands the candidate decided. */
  eventsFolded: Schema.Int,
  commandsDecided: Schema.Int,
}).annotations({ identifier: 'BacktestSummary' })
export type BacktestSummary = typeof BacktestSummary.Type

/** The whole comparison. */
export const BacktestReport = Schema.Struct({
  periods: Schema.Array(PeriodComparison),
  summary: BacktestSummary,
}).annotations({ identifier: 'BacktestReport' })
export type BacktestReport = typeof BacktestReport.Type
