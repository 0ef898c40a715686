import type { Instant, Severity } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { instantOfDate } from './instants.ts'
import type { TimeKeyset } from './keyset.ts'

/** A row of `audit_events` as pg returns it (int8 arrives as a string). */
export interface AuditEventRow {
  readonly id: string
  readonly type: string
  readonly source_type: string
  readonly pipeline_id: string
  readonly schedule_id: string
  readonly period: string
  readonly attempt_id: string | null
  readonly severity: Severity
  readonly alert: boolean
  readonly message: string
  readonly detail: Record<string, unknown>
  readonly occurred_at: Date
}

/** One public event (the original's events table, lifecycle spec §9.3, ruling D19). */
export interface AuditEventView {
  /** The global position of the domain event that published it: unique, and joins to `events`. */
  readonly id: bigint
  /** The public name: `JOB_TRIGGERED`, `SLA_BREACH`, … */
  readonly type: string
  /** The domain event's stored type (`JobStarted`, `SlaBreachRaised`, …). */
  readonly sourceType: string
  readonly pipelineId: string
  readonly scheduleId: string
  readonly period: string
  readonly attemptId: string | null
  readonly severity: Severity
  /** Whether alert routes receive it. */
  readonly alert: boolean
  readonly message: string
  readonly detail: Readonly<Record<string, unknown>>
  readonly occurredAt: Instant
}

const viewOf = (row: AuditEventRow): AuditEventView => ({
  id: BigInt(row.id),
  type: row.type,
  sourceType: row.source_type,
  pipelineId: row.pipeline_id,
  scheduleId: row.schedule_id,
  period: row.period,
  attemptId: row.attempt_id,
  severity: row.severity,
  alert: row.alert,
  message: row.message,
  detail: row.detail,
  occurredAt: instantOfDate(row.occurred_at),
})

/** Inserts a batch's public events in one statement; an event already stored is left as it is. */
export function insertAuditEvents(db: Queryable, events: ReadonlyArray<AuditEventView>): Promise<unknown> {
  return db.query({
    name: 'projections_insert_audit_events',
    text: `insert into audit_events (id, type, source_type, pipeline_id, schedule_id, period, attempt_id, severity,
                                     alert, message, detail, occurred_at)
           select r.id, r.type, r.source_type, r.pipeline_id, r.schedule_id, r.period, r.attempt_id, r.severity,
                  r.alert, r.message, r.detail, r.occurred_at
           from jsonb_to_recordset($1::jsonb) as r(id bigint, type text, source_type text, pipeline_id text,
             schedule_id text, period text, attempt_id text, severity text, alert boolean, message text,
             detail jsonb, occurred_at timestamptz)
           on conflict (id) do nothing`,
    values: [
      JSON.stringify(
        events.map((event) => ({
          id: event.id.toString(),
          type: event.type,
          source_type: event.sourceType,
          pipeline_id: event.pipelineId,
          schedule_id: event.scheduleId,
          period: event.period,
          attempt_id: event.attemptId,
          severity: event.severity,
          alert: event.alert,
          message: event.message,
          detail: event.detail,
          occurred_at: event.occurredAt,
        })),
      ),
    ],
  })
}

/** Filters of an audit listing; absent ones do not filter. `since` is inclusive, `until` exclusive. */
export interface AuditEventFilter {
  readonly pipelineId?: string
  readonly scheduleId?: string
  readonly period?: string
  readonly types?: ReadonlyArray<string>
  readonly severity?: Severity
  readonly since?: Instant
  readonly until?: Instant
}

/**
 * Audit events newest first after the keyset `before` (exclusive). The SQL is assembled from constant
 * fragments so that each combination of filters gets a plan that uses its index; values are parameters.
 */
export async function selectAuditEvents(
  db: Queryable,
  filter: AuditEventFilter,
  before: TimeKeyset | null,
  limit: number,
): Promise<ReadonlyArray<AuditEventView>> {
  const values: Array<unknown> = []
  const where: Array<string> = []
  const parameter = (value: unknown): string => {
    values.push(value)
    return `$${values.length}`
  }
  if (filter.pipelineId !== undefined) where.push(`pipeline_id = ${parameter(filter.pipelineId)}`)
  if (filter.scheduleId !== undefined) where.push(`schedule_id = ${parameter(filter.scheduleId)}`)
  if (filter.period !== undefined) where.push(`period = ${parameter(filter.period)}`)
  if (filter.types !== undefined) where.push(`type = any(${parameter(filter.types)}::text[])`)
  if (filter.severity !== undefined) where.push(`severity = ${parameter(filter.severity)}`)
  if (filter.since !== undefined) where.push(`occurred_at >= ${parameter(filter.since)}::timestamptz`)
  if (filter.until !== undefined) where.push(`occurred_at < ${parameter(filter.until)}::timestamptz`)
  if (before !== null) {
    where.push(
      `(occurred_at, id) < (${parameter(before.at)}::timestamptz, ${parameter(before.id.toString())}::bigint)`,
    )
  }
  const { rows } = await db.query<AuditEventRow>(
    `select id, type, source_type, pipeline_id, schedule_id, period, attempt_id, severity, alert, message, detail,
            occurred_at
     from audit_events ${where.length === 0 ? '' : `where ${where.join(' and ')}`}
     order by occurred_at desc, id desc
     limit ${parameter(limit)}`,
    values,
  )
  return rows.map(viewOf)
}
