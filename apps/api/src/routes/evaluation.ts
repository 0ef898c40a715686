import {
  ExecutionPeriod,
  evaluateRules,
  evolveRun,
  type InterlockEvent,
  initialRunState,
  PipelineId,
  RuleSetResult,
  type RunEvent,
  runStreamId,
  ScheduleName,
  sensorsForPeriod,
  todayIn,
} from '@interlock/domain'
import type { EventStore } from '@interlock/eventstore'
import { type CommandBus, PipelineNotFound } from '@interlock/processor'
import { Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { chooseSchedule } from '../http/choose-schedule.ts'
import { decodeInput } from '../http/decode-input.ts'
import { RunNowNotSupported } from '../http/http-errors.ts'
import { documented, type Operation } from '../openapi/operation.ts'

const EvaluationQuery = Schema.Struct({
  period: Schema.optional(ExecutionPeriod),
  schedule: Schema.optional(ScheduleName),
})

export const EvaluationAnswer = Schema.Struct({
  pipelineId: Schema.String,
  scheduleId: Schema.String,
  period: Schema.String,
  evaluatedAt: Schema.String,
  ...RuleSetResult.fields,
}).annotations({ identifier: 'Evaluation' })

const operation = (method: 'get' | 'post', path: string, summary: string): Operation => ({
  method,
  path,
  tag: 'evaluation',
  summary,
  scope: 'read',
  pathParams: [{ name: 'id', description: 'pipeline id' }],
  query: documented(EvaluationQuery),
  responses: { 200: { description: 'every rule with its verdict', schema: documented(EvaluationAnswer) } },
})

export const evaluationOperations: ReadonlyArray<Operation> = [
  operation(
    'post',
    '/api/pipelines/{id}/evaluate',
    "Evaluate the rules now on the period's stored sensors (default: today in the schedule's zone); records nothing.",
  ),
  operation(
    'get',
    '/api/pipelines/{id}/readiness',
    'Whether the period would pass its rules now, rule by rule.',
  ),
  {
    method: 'post',
    path: '/api/pipelines/{id}/run',
    tag: 'evaluation',
    summary:
      "Seed 001's run (evaluate now, trigger if ready). Not implemented: the run decider has no command for it yet, so this answers 501 and records nothing.",
    scope: 'pipelines:write',
    pathParams: [{ name: 'id', description: 'pipeline id' }],
    responses: {
      501: { description: 'not implemented; the problem says what to do instead' },
      404: { description: 'unknown pipeline' },
    },
  },
]

/** Rule results on demand: the same rule engine and sensor view the run decider uses, with no side effects. */
export function evaluationRoutes(deps: {
  readonly commands: Pick<CommandBus, 'pipeline'>
  readonly events: Pick<EventStore<InterlockEvent>, 'readStream'>
  /** The processor's clock (simulated or not): rules with ages are judged at its now. */
  readonly decisionClock: () => number
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
}) {
  const evaluate = async (id: string, query: typeof EvaluationQuery.Type) => {
    const pipeline = await deps.commands.pipeline(id)
    if (pipeline.status !== 'Registered') throw new PipelineNotFound({ pipelineId: id })
    const schedule = chooseSchedule(pipeline.config, query.schedule, { in: 'query', path: 'schedule' })
    const now = deps.decisionClock()
    const period = query.period ?? (todayIn(now, schedule.timezone) as ExecutionPeriod)
    const run = { pipelineId: id, scheduleId: schedule.name, period }
    const state = (await deps.events.readStream(runStreamId(run))).reduce(
      (folded, recorded) => evolveRun(folded, recorded.event as RunEvent),
      initialRunState,
    )
    const stored = Object.fromEntries(
      Object.entries(state.sensors).map(([key, reading]) => [key, reading.data]),
    )
    const outcome = evaluateRules(pipeline.config.validation, sensorsForPeriod(stored, period), now)
    return {
      ...run,
      evaluatedAt: new Date(now).toISOString(),
      ...outcome,
    } satisfies typeof EvaluationAnswer.Type
  }
  const params = Schema.Struct({ id: PipelineId })
  return new Hono<AppEnv>()
    .post('/api/pipelines/:id/evaluate', deps.guard('read'), async (c) => {
      const { id } = decodeInput(params, 'path', c.req.param())
      return c.json(await evaluate(id, decodeInput(EvaluationQuery, 'query', c.req.query())))
    })
    .get('/api/pipelines/:id/readiness', deps.guard('read'), async (c) => {
      const { id } = decodeInput(params, 'path', c.req.param())
      return c.json(await evaluate(id, decodeInput(EvaluationQuery, 'query', c.req.query())))
    })
    .post('/api/pipelines/:id/run', deps.guard('pipelines:write'), async (c) => {
      const { id } = decodeInput(params, 'path', c.req.param())
      if ((await deps.commands.pipeline(id)).status !== 'Registered')
        throw new PipelineNotFound({ pipelineId: id })
      throw new RunNowNotSupported({ pipelineId: id })
    })
}
