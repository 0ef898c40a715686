import { Schema } from 'effect'
import { Instant } from '../../shared/instant.ts'
import { decided } from './common.ts'

/** Absolute SLA (`sla.deadline`) or relative SLA (`sla.maxDuration` from the first sensor). */
export const SlaKind = Schema.Literal('absolute', 'relative')

/**
 * The period's SLA instants, computed once when its SLA starts and used for every later verdict (L4).
 * `warningAt` is null when there is no warning (a deadline without `expectedDuration`, C10).
 */
export const SlaScheduled = Schema.TaggedStruct('SlaScheduled', {
  ...decided,
  kind: SlaKind,
  warningAt: Schema.NullOr(Instant),
  breachAt: Instant,
  deadline: Schema.optional(Schema.String),
  expectedDuration: Schema.optional(Schema.String),
  maxDuration: Schema.optional(Schema.String),
  timezone: Schema.String,
  critical: Schema.Boolean,
  arrivedAt: Schema.optional(Instant),
}).annotations({ identifier: 'SlaScheduled' })

/** What the run was doing when an SLA alert fired (alert detail `status`). */
export const RunStatusText = Schema.Literal('not started', 'RUNNING')

/** The warning instant passed while the run had no outcome yet. */
export const SlaWarningRaised = Schema.TaggedStruct('SlaWarningRaised', {
  ...decided,
  kind: SlaKind,
  breachAt: Instant,
  status: RunStatusText,
  critical: Schema.Boolean,
  /** The configured deadline, for the alert's "Deadline HH:MM (breachAt)" line. */
  deadline: Schema.optional(Schema.String),
  /** Who raised it: its timer (absent: the schedule) or the watchdog after a lost timer (§6.5). */
  source: Schema.optional(Schema.Literal('schedule', 'watchdog')),
}).annotations({ identifier: 'SlaWarningRaised' })

/** The breach instant passed while the run had no outcome yet (timer, or the watchdog for relative SLAs). */
export const SlaBreachRaised = Schema.TaggedStruct('SlaBreachRaised', {
  ...decided,
  kind: SlaKind,
  breachAt: Instant,
  status: RunStatusText,
  critical: Schema.Boolean,
  source: Schema.Literal('schedule', 'watchdog'),
  /** The configured deadline, for the alert's "Deadline HH:MM (breachAt)" line. */
  deadline: Schema.optional(Schema.String),
}).annotations({ identifier: 'SlaBreachRaised' })

/**
 * The verdict once the run has an outcome, against the stored `breachAt` (L4): met only after a
 * successful job finished before breach; breached when it finished, failed or gave up at or after breach.
 */
export const SlaVerdictReached = Schema.TaggedStruct('SlaVerdictReached', {
  ...decided,
  kind: SlaKind,
  verdict: Schema.Literal('met', 'breached'),
  breachAt: Instant,
  critical: Schema.Boolean,
  /**
   * True when this clock's breach was already announced by `SlaBreachRaised`: the verdict is then the same
   * fact again and publishes no second SLA_BREACH (L9). Absent on verdicts recorded before the field existed.
   */
  breachAnnounced: Schema.optional(Schema.Boolean),
}).annotations({ identifier: 'SlaVerdictReached' })
