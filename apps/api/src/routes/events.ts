import { ExecutionPeriod, Instant, instantFromText, PipelineId, ScheduleName } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { listAuditEvents } from '@interlock/projections'
import { Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { decodeInput } from '../http/decode-input.ts'
import { jsonAnswer } from '../http/json-answer.ts'
import { PageQuery, pageAnswer, present } from '../http/list-query.ts'
import { documented, type Operation } from '../openapi/operation.ts'

/** An instant in a query: any ISO-8601 timestamp, normalised to UTC milliseconds. */
const QueryInstant = Schema.transform(
  Schema.String.pipe(
    Schema.filter(
      (text) =>
        !Number.isNaN(Date.parse(text)) ||
        `"${text}" is not an ISO-8601 timestamp; write e.g. 2026-03-01T06:00:00Z`,
    ),
  ),
  Instant,
  { strict: true, decode: (text) => instantFromText(text), encode: (instant) => instant },
)

const EventsQuery = Schema.Struct({
  ...PageQuery.fields,
  pipeline: Schema.optional(PipelineId),
  schedule: Schema.optional(ScheduleName),
  period: Schema.optional(ExecutionPeriod),
  /** One public event type (JOB_TRIGGERED, SLA_BREACH, …), or several separated by commas. */
  type: Schema.optional(
    Schema.String.pipe(
      Schema.pattern(/^[A-Z_]+(,[A-Z_]+)*$/, {
        message: () => 'type is one or more public event names, e.g. JOB_TRIGGERED,SLA_BREACH',
      }),
    ),
  ),
  since: Schema.optional(QueryInstant),
  until: Schema.optional(QueryInstant),
})
const PipelineEventsQuery = Schema.Struct({ ...EventsQuery.fields, pipeline: Schema.optional(Schema.Never) })

const EventPage = pageAnswer(Schema.Record({ key: Schema.String, value: Schema.Unknown }), 'EventPage')

export const eventOperations: ReadonlyArray<Operation> = [
  {
    method: 'get',
    path: '/api/events',
    tag: 'events',
    summary: 'Public events (JOB_TRIGGERED, SLA_BREACH, …) newest first; since inclusive, until exclusive.',
    scope: 'read',
    query: documented(EventsQuery),
    responses: { 200: { description: 'a page of events', schema: documented(EventPage) } },
  },
  {
    method: 'get',
    path: '/api/pipelines/{id}/events',
    tag: 'events',
    summary: 'Public events of one pipeline, newest first.',
    scope: 'read',
    pathParams: [{ name: 'id', description: 'pipeline id' }],
    query: documented(PipelineEventsQuery),
    responses: { 200: { description: 'a page of events', schema: documented(EventPage) } },
  },
]

type EventsFilter = typeof EventsQuery.Type

function filterOf(query: EventsFilter, pipelineId: string | undefined) {
  return present({
    pipelineId,
    scheduleId: query.schedule,
    period: query.period,
    types: query.type?.split(','),
    since: query.since,
    until: query.until,
    cursor: query.cursor,
    limit: query.limit,
  })
}

/** The audit trail of public events. */
export function eventRoutes(deps: {
  readonly readModels: Queryable
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
}) {
  return new Hono<AppEnv>()
    .get('/api/events', deps.guard('read'), async (c) => {
      const query = decodeInput(EventsQuery, 'query', c.req.query())
      return jsonAnswer(c, await listAuditEvents(deps.readModels, filterOf(query, query.pipeline)))
    })
    .get('/api/pipelines/:id/events', deps.guard('read'), async (c) => {
      const { id } = decodeInput(Schema.Struct({ id: PipelineId }), 'path', c.req.param())
      const query = decodeInput(PipelineEventsQuery, 'query', c.req.query())
      return jsonAnswer(c, await listAuditEvents(deps.readModels, filterOf(query, id)))
    })
}
