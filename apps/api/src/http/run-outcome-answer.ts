import type { RunKey } from '@interlock/domain'
import type { RunOutcome } from '@interlock/processor'
import { Schema } from 'effect'

/** What one command did to one run stream, as answered over HTTP. */
export const RunOutcomeAnswer = Schema.Struct({
  scheduleId: Schema.String,
  period: Schema.String,
  /** recorded: events appended; unchanged: nothing to record; duplicate: this command was recorded before. */
  result: Schema.Literal('recorded', 'unchanged', 'duplicate', 'rejected'),
  streamVersion: Schema.Int,
  /** Types of the events this command appended. */
  events: Schema.Array(Schema.String),
  rejection: Schema.optional(Schema.Struct({ type: Schema.String, detail: Schema.String })),
}).annotations({ identifier: 'RunOutcome' })
export type RunOutcomeAnswer = typeof RunOutcomeAnswer.Type

export function runOutcomeAnswer(run: RunKey, outcome: RunOutcome): RunOutcomeAnswer {
  // One literal per answer (a batch builds a thousand): no spread of a shared part.
  if (outcome._tag === 'Rejected') {
    return {
      scheduleId: run.scheduleId,
      period: run.period,
      streamVersion: outcome.streamVersion,
      result: 'rejected',
      events: [],
      rejection: { type: outcome.rejection._tag, detail: outcome.rejection.message },
    }
  }
  const result =
    outcome.append?.duplicate === true ? 'duplicate' : outcome.events.length === 0 ? 'unchanged' : 'recorded'
  return {
    scheduleId: run.scheduleId,
    period: run.period,
    streamVersion: outcome.streamVersion,
    result,
    events: outcome.events.map((event) => event._tag),
  }
}
