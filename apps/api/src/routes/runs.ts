import {
  AttemptId,
  DEFAULT_SCHEDULE,
  ExecutionPeriod,
  explainRun,
  formatExplanation,
  type InterlockEvent,
  PipelineId,
  type RunEvent,
  runStreamId,
  ScheduleName,
} from '@interlock/domain'
import type { EventStore, Queryable } from '@interlock/eventstore'
import type { CommandBus } from '@interlock/processor'
import { getRun, listRuns, type RunStatus } from '@interlock/projections'
import { Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { commandSource } from '../http/command-source.ts'
import { decodeInput } from '../http/decode-input.ts'
import { ResourceNotFound } from '../http/http-errors.ts'
import { jsonAnswer } from '../http/json-answer.ts'
import { PageQuery, pageAnswer, present } from '../http/list-query.ts'
import { readJsonBody } from '../http/read-body.ts'
import { RunOutcomeAnswer, runOutcomeAnswer } from '../http/run-outcome-answer.ts'
import { documented, type Operation } from '../openapi/operation.ts'

const RUN_STATUSES = [
  'waiting',
  'evaluating',
  'triggering',
  'running',
  'succeeded',
  'failed',
  'validation_exhausted',
  'excluded',
] as const satisfies ReadonlyArray<RunStatus>

const RunsQuery = Schema.Struct({
  ...PageQuery.fields,
  schedule: Schema.optional(ScheduleName),
  status: Schema.optional(Schema.Literal(...RUN_STATUSES)),
})
const RunQuery = Schema.Struct({ schedule: Schema.optional(ScheduleName) })
const PipelineParams = Schema.Struct({ id: PipelineId })
const RunParams = Schema.Struct({ id: PipelineId, period: ExecutionPeriod })
const AttemptParams = Schema.Struct({ attemptId: AttemptId })

/** The job's own report of its outcome (the completion callback). */
export const CompletionRequest = Schema.Struct({
  status: Schema.Literal('success', 'failed', 'timeout'),
  runId: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(1_000))),
  error: Schema.optional(Schema.String.pipe(Schema.maxLength(10_000))),
}).annotations({ identifier: 'CompletionRequest' })

export const ExplainAnswer = Schema.Struct({
  pipelineId: Schema.String,
  scheduleId: Schema.String,
  period: Schema.String,
  steps: Schema.Array(
    Schema.Struct({ at: Schema.String, title: Schema.String, lines: Schema.Array(Schema.String) }),
  ),
  text: Schema.String,
}).annotations({ identifier: 'RunExplanation' })

const RunPage = pageAnswer(Schema.Record({ key: Schema.String, value: Schema.Unknown }), 'RunPage')
const runParams = [
  { name: 'id', description: 'pipeline id' },
  { name: 'period', description: 'execution period, YYYY-MM-DD or YYYY-MM-DDTHH' },
]

export const runOperations: ReadonlyArray<Operation> = [
  {
    method: 'get',
    path: '/api/pipelines/{id}/runs',
    tag: 'runs',
    summary: 'Runs of the pipeline, newest period first.',
    scope: 'read',
    pathParams: [runParams[0]!],
    query: documented(RunsQuery),
    responses: { 200: { description: 'a page of runs', schema: documented(RunPage) } },
  },
  {
    method: 'get',
    path: '/api/pipelines/{id}/runs/{period}',
    tag: 'runs',
    summary: 'One run (of schedule `default` unless ?schedule= names another) with every attempt.',
    scope: 'read',
    pathParams: runParams,
    query: documented(RunQuery),
    responses: { 200: { description: 'the run log' }, 404: { description: 'no such run' } },
  },
  {
    method: 'get',
    path: '/api/pipelines/{id}/runs/{period}/explain',
    tag: 'runs',
    summary: "The decider's trace of the run: every decision with the rules and sensors it used.",
    scope: 'read',
    pathParams: runParams,
    query: documented(RunQuery),
    responses: {
      200: { description: 'the trace', schema: documented(ExplainAnswer) },
      404: { description: 'no such run' },
    },
  },
  {
    method: 'post',
    path: '/api/runs/{attemptId}/complete',
    tag: 'runs',
    summary:
      'Completion callback: the job reports its outcome for its attempt (the attempt id is URL-encoded: orders-daily%2Fdefault%2F2026-03-01%2F1).',
    scope: 'sensors:write',
    pathParams: [{ name: 'attemptId', description: '<pipelineId>/<schedule>/<period>/<n>, URL-encoded' }],
    body: { schema: documented(CompletionRequest), contentTypes: ['application/json'] },
    responses: {
      200: { description: 'recorded', schema: documented(RunOutcomeAnswer) },
      404: { description: 'unknown pipeline or attempt; nothing stored' },
      409: { description: 'the job start is not recorded yet; send again' },
    },
  },
  {
    method: 'post',
    path: '/api/runs/{attemptId}/heartbeat',
    tag: 'runs',
    summary:
      'Heartbeat callback: the job of an attempt reports it is alive; with job.heartbeatTimeout, a missed one fails the attempt as TIMEOUT (JOB_HEARTBEAT_MISSED). No body.',
    scope: 'sensors:write',
    pathParams: [{ name: 'attemptId', description: '<pipelineId>/<schedule>/<period>/<n>, URL-encoded' }],
    responses: {
      200: {
        description: 'recorded (unchanged for an attempt no longer live)',
        schema: documented(RunOutcomeAnswer),
      },
      404: { description: 'unknown pipeline or attempt; nothing stored' },
      409: { description: 'the job start is not recorded yet; send again' },
    },
  },
]

const OUTCOMES = { success: 'success', failed: 'fail', timeout: 'timeout' } as const

/** Runs: their log, the explain trace, and the job's completion and heartbeat callbacks. */
export function runRoutes(deps: {
  readonly commands: Pick<CommandBus, 'runCommand'>
  readonly events: Pick<EventStore<InterlockEvent>, 'readStream'>
  readonly readModels: Queryable
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
  readonly jsonMaxDepth: number
}) {
  return new Hono<AppEnv>()
    .get('/api/pipelines/:id/runs', deps.guard('read'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      const query = decodeInput(RunsQuery, 'query', c.req.query())
      const page = await listRuns(
        deps.readModels,
        id,
        present({
          scheduleId: query.schedule,
          status: query.status,
          cursor: query.cursor,
          limit: query.limit,
        }),
      )
      return jsonAnswer(c, page)
    })
    .get('/api/pipelines/:id/runs/:period', deps.guard('read'), async (c) => {
      const { id, period } = decodeInput(RunParams, 'path', c.req.param())
      const { schedule } = decodeInput(RunQuery, 'query', c.req.query())
      const run = await getRun(deps.readModels, {
        pipelineId: id,
        scheduleId: schedule ?? DEFAULT_SCHEDULE,
        period,
      })
      if (run === null) throw new ResourceNotFound({ resource: `run of ${id}`, id: period, field: 'period' })
      return jsonAnswer(c, run)
    })
    .get('/api/pipelines/:id/runs/:period/explain', deps.guard('read'), async (c) => {
      const { id, period } = decodeInput(RunParams, 'path', c.req.param())
      const { schedule } = decodeInput(RunQuery, 'query', c.req.query())
      const run = { pipelineId: id, scheduleId: schedule ?? DEFAULT_SCHEDULE, period }
      const recorded = await deps.events.readStream(runStreamId(run))
      if (recorded.length === 0)
        throw new ResourceNotFound({ resource: `run of ${id}`, id: period, field: 'period' })
      const steps = explainRun(
        recorded.map((event) => event.event as RunEvent),
        run,
      )
      return c.json({ ...run, steps, text: formatExplanation(steps) } satisfies typeof ExplainAnswer.Type)
    })
    .post('/api/runs/:attemptId/complete', deps.guard('sensors:write'), async (c) => {
      const { attemptId } = decodeInput(AttemptParams, 'path', c.req.param())
      const request = decodeInput(CompletionRequest, 'body', (await readJsonBody(c, deps.jsonMaxDepth)).value)
      const [pipelineId, scheduleId, period] = attemptId.split('/') as [string, string, string]
      const run = { pipelineId, scheduleId, period }
      const outcome = await deps.commands.runCommand(
        run,
        {
          _tag: 'RecordJobCompletion',
          attemptId,
          outcome: OUTCOMES[request.status],
          ...(request.runId === undefined ? {} : { runId: request.runId }),
          ...(request.error === undefined ? {} : { error: request.error }),
        },
        commandSource(c),
      )
      if (outcome._tag === 'Rejected') throw outcome.rejection
      return c.json(runOutcomeAnswer(run, outcome))
    })
    .post('/api/runs/:attemptId/heartbeat', deps.guard('sensors:write'), async (c) => {
      const { attemptId } = decodeInput(AttemptParams, 'path', c.req.param())
      const [pipelineId, scheduleId, period] = attemptId.split('/') as [string, string, string]
      const run = { pipelineId, scheduleId, period }
      const outcome = await deps.commands.runCommand(
        run,
        { _tag: 'RecordHeartbeat', attemptId },
        commandSource(c),
      )
      if (outcome._tag === 'Rejected') throw outcome.rejection
      return c.json(runOutcomeAnswer(run, outcome))
    })
}
