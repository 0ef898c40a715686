import type { InterlockEvent, RunEvent, RunKey } from '@interlock/domain'
import type { RecordedEvent } from '@interlock/eventstore'
import { runKeyOf } from './event-tags.ts'
import type { Projection } from './projection.ts'
import { insertReruns, type RerunView } from './sql/reruns.ts'

/** The stored types that decide a rerun request; no other event is decoded by this projection. */
const RERUN_DECISIONS: ReadonlySet<string> = new Set(
  Object.keys({
    RerunAccepted: true,
    RerunRejected: true,
    RerunBlockedByCalendar: true,
    RerunWithoutRun: true,
    DryRunWouldRerun: true,
    DryRunRerunRejected: true,
  } satisfies Partial<Record<RunEvent['_tag'], true>>),
)

const CIRCUIT_BREAKER_REFUSAL = 'circuit breaker: previous run succeeded and no sensor data has changed'

/** The rerun decision an event records, or null for every other event. */
export function rerunOf(recorded: RecordedEvent<InterlockEvent>, run: RunKey): RerunView | null {
  const event = recorded.event
  const common = { id: recorded.globalPosition, ...run, decidedAt: event.at }
  switch (event._tag) {
    case 'RerunAccepted':
      return {
        ...common,
        requestId: event.requestId,
        reason: event.reason,
        outcome: 'accepted',
        why: `circuit breaker ${event.circuitBreaker}`,
        attemptId: event.attemptId,
        used: event.used,
        budget: event.budget,
        dryRun: false,
      }
    case 'RerunRejected':
      return {
        ...common,
        requestId: event.requestId,
        reason: event.reason,
        outcome: 'rejected',
        why: event.rule === 'circuit breaker' ? CIRCUIT_BREAKER_REFUSAL : event.rule,
        attemptId: null,
        used: event.used,
        budget: event.budget,
        dryRun: false,
      }
    case 'RerunBlockedByCalendar':
      return {
        ...common,
        requestId: event.requestId,
        reason: event.reason,
        outcome: 'rejected',
        why: 'excluded by calendar',
        attemptId: null,
        used: null,
        budget: null,
        dryRun: false,
      }
    case 'RerunWithoutRun':
      return {
        ...common,
        requestId: event.requestId,
        reason: event.reason,
        outcome: 'rejected',
        why: 'the period never ran, so there is nothing to rerun',
        attemptId: null,
        used: null,
        budget: null,
        dryRun: false,
      }
    case 'DryRunWouldRerun':
      return {
        ...common,
        requestId: event.requestId,
        reason: event.reason,
        outcome: 'accepted',
        why: `circuit breaker ${event.circuitBreaker}`,
        attemptId: null,
        used: event.used,
        budget: event.budget,
        dryRun: true,
      }
    case 'DryRunRerunRejected':
      return {
        ...common,
        requestId: event.requestId,
        reason: event.reason,
        outcome: 'rejected',
        why: event.rule === 'circuit breaker' ? CIRCUIT_BREAKER_REFUSAL : event.rule,
        attemptId: null,
        used: event.used,
        budget: event.budget,
        dryRun: true,
      }
    default:
      return null
  }
}

/** `reruns`: every decided rerun request of every run, accepted or rejected, and why. */
export const rerunsProjection: Projection<InterlockEvent> = {
  name: 'reruns',
  tables: ['reruns'],
  apply: async (events, tx) => {
    const reruns: Array<RerunView> = []
    for (const recorded of events) {
      if (!RERUN_DECISIONS.has(recorded.type)) continue
      const rerun = rerunOf(recorded, runKeyOf(recorded))
      if (rerun !== null) reruns.push(rerun)
    }
    if (reruns.length > 0) await insertReruns(tx, reruns)
  },
}
