import { type InterlockEvent, publicEventOf } from '@interlock/domain'
import type { RecordedEvent } from '@interlock/eventstore'
import { isRunEvent, runKeyOf } from './event-tags.ts'
import type { Projection } from './projection.ts'
import { type AuditEventView, insertAuditEvents } from './sql/audit-events.ts'

/** The public event a recorded event published, as an audit row, or null for internal facts. */
export function auditEventOf(recorded: RecordedEvent<InterlockEvent>): AuditEventView | null {
  if (!isRunEvent(recorded)) return null
  const run = runKeyOf(recorded)
  const event = recorded.event
  const published = publicEventOf(event, run)
  if (published === null) return null
  return {
    id: recorded.globalPosition,
    type: published.type,
    sourceType: event._tag,
    pipelineId: run.pipelineId,
    scheduleId: run.scheduleId,
    period: run.period,
    attemptId: 'attemptId' in event && typeof event.attemptId === 'string' ? event.attemptId : null,
    severity: published.severity,
    alert: published.alert,
    message: published.message,
    detail: published.detail,
    occurredAt: event.at,
  }
}

/**
 * `audit_events`: every public event (`publicEventOf` not null) with its full detail (D19), keyed by the
 * global position of the event that published it, so a replay never stores one twice.
 */
export const auditEventsProjection: Projection<InterlockEvent> = {
  name: 'audit-events',
  tables: ['audit_events'],
  apply: async (events, tx) => {
    const published: Array<AuditEventView> = []
    for (const recorded of events) {
      const audit = auditEventOf(recorded)
      if (audit !== null) published.push(audit)
    }
    if (published.length > 0) await insertAuditEvents(tx, published)
  },
}
