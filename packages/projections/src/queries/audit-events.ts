import type { Queryable } from '@interlock/eventstore'
import { type AuditEventFilter, type AuditEventView, selectAuditEvents } from '../sql/audit-events.ts'
import { timeCursor } from './keysets.ts'
import { type Page, pageSize, readPage } from './page.ts'

/**
 * Public events newest first, filtered by pipeline, schedule, period, types (any of), severity, and time
 * (`since` inclusive, `until` exclusive).
 */
export async function listAuditEvents(
  db: Queryable,
  options: AuditEventFilter & { readonly cursor?: string; readonly limit?: number } = {},
): Promise<Page<AuditEventView>> {
  const { cursor, limit: requested, ...filter } = options
  const before = timeCursor.decode(cursor)
  return readPage(
    pageSize(requested),
    (limit) => selectAuditEvents(db, filter, before, limit),
    (last) => timeCursor.encode({ at: last.occurredAt, id: last.id }),
  )
}
