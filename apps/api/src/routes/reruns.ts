import { randomUUID } from 'node:crypto'
import { ExecutionPeriod, PipelineId, ScheduleName } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { type CommandBus, PipelineNotFound } from '@interlock/processor'
import { listReruns } from '@interlock/projections'
import { Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { chooseSchedule } from '../http/choose-schedule.ts'
import { commandSource } from '../http/command-source.ts'
import { decodeInput } from '../http/decode-input.ts'
import { jsonAnswer } from '../http/json-answer.ts'
import { PageQuery, pageAnswer, present } from '../http/list-query.ts'
import { readJsonBody } from '../http/read-body.ts'
import { RunOutcomeAnswer, runOutcomeAnswer } from '../http/run-outcome-answer.ts'
import { documented, type Operation } from '../openapi/operation.ts'

/** Ask for a rerun of one period; `requestId` makes the request idempotent (generated when absent). */
export const RerunRequest = Schema.Struct({
  period: ExecutionPeriod,
  reason: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200))),
  schedule: Schema.optional(ScheduleName),
  requestId: Schema.optional(Schema.String.pipe(Schema.pattern(/^[\x21-\x7e]{1,200}$/))),
}).annotations({ identifier: 'RerunRequest' })

export const RerunAnswer = Schema.Struct({
  pipelineId: Schema.String,
  requestId: Schema.String,
  /** accepted: a new attempt starts; rejected: budget, circuit breaker, calendar or no run to rerun. */
  decision: Schema.Literal('accepted', 'rejected', 'duplicate'),
  why: Schema.String,
  run: RunOutcomeAnswer,
}).annotations({ identifier: 'RerunDecision' })

const RerunPage = pageAnswer(Schema.Record({ key: Schema.String, value: Schema.Unknown }), 'RerunPage')
const PipelineParams = Schema.Struct({ id: PipelineId })

export const rerunOperations: ReadonlyArray<Operation> = [
  {
    method: 'post',
    path: '/api/pipelines/{id}/reruns',
    tag: 'reruns',
    summary: 'Request a rerun of a period; 202 with the decision (accepted, or rejected and why).',
    scope: 'reruns:write',
    pathParams: [{ name: 'id', description: 'pipeline id' }],
    body: { schema: documented(RerunRequest), contentTypes: ['application/json'] },
    responses: {
      202: { description: 'decided', schema: documented(RerunAnswer) },
      404: { description: 'unknown pipeline or schedule; nothing stored' },
      409: { description: 'the pipeline is paused; nothing stored' },
    },
  },
  {
    method: 'get',
    path: '/api/pipelines/{id}/reruns',
    tag: 'reruns',
    summary: 'Rerun decisions of the pipeline, newest first.',
    scope: 'read',
    pathParams: [{ name: 'id', description: 'pipeline id' }],
    query: documented(PageQuery),
    responses: { 200: { description: 'a page of reruns', schema: documented(RerunPage) } },
  },
  {
    method: 'get',
    path: '/api/reruns',
    tag: 'reruns',
    summary: 'Rerun decisions of every pipeline, newest first.',
    scope: 'read',
    query: documented(PageQuery),
    responses: { 200: { description: 'a page of reruns', schema: documented(RerunPage) } },
  },
]

const DECISIONS: Readonly<Record<string, 'accepted' | 'rejected'>> = {
  RerunAccepted: 'accepted',
  RerunRejected: 'rejected',
  RerunBlockedByCalendar: 'rejected',
  RerunWithoutRun: 'rejected',
  DryRunWouldRerun: 'accepted',
  DryRunRerunRejected: 'rejected',
}

/** Rerun requests and their history. */
export function rerunRoutes(deps: {
  readonly commands: Pick<CommandBus, 'runCommand' | 'pipeline'>
  readonly readModels: Queryable
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
  readonly jsonMaxDepth: number
}) {
  return new Hono<AppEnv>()
    .post('/api/pipelines/:id/reruns', deps.guard('reruns:write'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      const request = decodeInput(RerunRequest, 'body', (await readJsonBody(c, deps.jsonMaxDepth)).value)
      const pipeline = await deps.commands.pipeline(id)
      if (pipeline.status !== 'Registered') throw new PipelineNotFound({ pipelineId: id })
      const scheduleId = chooseSchedule(pipeline.config, request.schedule, {
        in: 'body',
        path: 'schedule',
      }).name
      const requestId = request.requestId ?? randomUUID()
      const run = { pipelineId: id, scheduleId, period: request.period }
      const outcome = await deps.commands.runCommand(
        run,
        {
          _tag: 'RequestRerun',
          requestId,
          ...(request.reason === undefined ? {} : { reason: request.reason }),
        },
        {
          ...commandSource(c),
          commandId: `rerun:${id}:${scheduleId}:${request.period}:${requestId}`,
        },
      )
      if (outcome._tag === 'Rejected') throw outcome.rejection
      const decided = outcome.events.find((event) => DECISIONS[event._tag] !== undefined)
      const answer: typeof RerunAnswer.Type = {
        pipelineId: id,
        requestId,
        decision: decided === undefined ? 'duplicate' : DECISIONS[decided._tag]!,
        why: decided === undefined ? 'this request id was decided before' : rerunWhy(decided),
        run: runOutcomeAnswer(run, outcome),
      }
      return c.json(answer, 202)
    })
    .get('/api/pipelines/:id/reruns', deps.guard('read'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      const query = decodeInput(PageQuery, 'query', c.req.query())
      return jsonAnswer(c, await listReruns(deps.readModels, { pipelineId: id, ...present(query) }))
    })
    .get('/api/reruns', deps.guard('read'), async (c) => {
      const query = decodeInput(PageQuery, 'query', c.req.query())
      return jsonAnswer(c, await listReruns(deps.readModels, present(query)))
    })
}

function rerunWhy(event: { readonly _tag: string } & Record<string, unknown>): string {
  switch (event._tag) {
    case 'RerunAccepted':
      return `accepted as attempt ${String(event.attemptId)} (${String(event.used)} of ${String(event.budget)} reruns used before)`
    case 'RerunRejected':
      return `rejected by the ${String(event.rule)} (${String(event.used)} of ${String(event.budget)} used)`
    case 'RerunBlockedByCalendar':
      return 'rejected: the period is excluded by the pipeline calendar'
    case 'RerunWithoutRun':
      return 'rejected: the period never ran, so there is nothing to rerun'
    case 'DryRunRerunRejected':
      return `dry run: would be rejected (${String(event.rule)})`
    default:
      return 'dry run: would rerun; nothing is started'
  }
}
