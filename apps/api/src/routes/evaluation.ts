import { randomUUID } from 'node:crypto'
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
  startsJob,
  todayIn,
} from '@interlock/domain'
import type { EventStore } from '@interlock/eventstore'
import { type CommandBus, PipelineNotFound } from '@interlock/processor'
import { Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { chooseSchedule } from '../http/choose-schedule.ts'
import { commandSource } from '../http/command-source.ts'
import { decodeInput } from '../http/decode-input.ts'
import { RunOutcomeAnswer, runOutcomeAnswer } from '../http/run-outcome-answer.ts'
import { documented, type Operation } from '../openapi/operation.ts'

const EvaluationQuery = Schema.Struct({
  period: Schema.optional(ExecutionPeriod),
  schedule: Schema.optional(ScheduleName),
})

const RunNowQuery = Schema.Struct({
  ...EvaluationQuery.fields,
  /** Makes the request idempotent: a repeat with the same id is answered `duplicate` (generated when absent). */
  requestId: Schema.optional(Schema.String.pipe(Schema.pattern(/^[\x21-\x7e]{1,200}$/))),
})

export const RunNowAnswer = Schema.Struct({
  pipelineId: Schema.String,
  scheduleId: Schema.String,
  period: Schema.String,
  requestId: Schema.String,
  /**
   * triggered: an attempt started, its job follows; ready: an attempt of a readiness-only pipeline
   * (`job: {type: none}`) started and ends as READY, no job to start; not-ready: rules block it;
   * duplicate: this request id was decided before.
   */
  decision: Schema.Literal('triggered', 'ready', 'not-ready', 'duplicate'),
  attemptId: Schema.optional(Schema.String),
  /** The rules that did not pass (empty when triggered). */
  blocking: Schema.Array(Schema.Struct({ key: Schema.String, reason: Schema.String })),
  ...RuleSetResult.fields,
  run: RunOutcomeAnswer,
}).annotations({ identifier: 'RunNowDecision' })

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
    "Evaluate the rules now on the period's stored sensors and what its evaluators answer now (default: today in the schedule's zone); records nothing.",
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
      "Seed 001's run: evaluate the period's rules now on its stored sensors and, when they pass, start an attempt (cause manual) that triggers the job. Not ready: 200 with the blocking rules, the evaluation recorded, nothing started.",
    scope: 'pipelines:write',
    pathParams: [{ name: 'id', description: 'pipeline id' }],
    query: documented(RunNowQuery),
    responses: {
      202: { description: 'ready: the attempt started', schema: documented(RunNowAnswer) },
      200: { description: 'not ready: the blocking rules', schema: documented(RunNowAnswer) },
      404: { description: 'unknown pipeline' },
      409: {
        description:
          'the period already has a run (live or finished), is excluded, the pipeline is paused or dry-run; nothing stored',
      },
    },
  },
]

/** Rule results on demand: the same rule engine and sensor view the run decider uses, with no side effects. */
export function evaluationRoutes(deps: {
  readonly commands: Pick<CommandBus, 'pipeline' | 'runCommand' | 'evaluatorReadings'>
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
    // Active evaluators (C15) run now, as seed 001's evaluate does; their answers are judged, not recorded.
    const stored = {
      ...Object.fromEntries(Object.entries(state.sensors).map(([key, reading]) => [key, reading.data])),
      ...(await deps.commands.evaluatorReadings(run, pipeline.config)),
    }
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
      const query = decodeInput(RunNowQuery, 'query', c.req.query())
      const pipeline = await deps.commands.pipeline(id)
      if (pipeline.status !== 'Registered') throw new PipelineNotFound({ pipelineId: id })
      const schedule = chooseSchedule(pipeline.config, query.schedule, { in: 'query', path: 'schedule' })
      const period = query.period ?? (todayIn(deps.decisionClock(), schedule.timezone) as ExecutionPeriod)
      const run = { pipelineId: id, scheduleId: schedule.name, period }
      const requestId = query.requestId ?? randomUUID()
      const outcome = await deps.commands.runCommand(
        run,
        { _tag: 'RunNow', requestId },
        {
          ...commandSource(c),
          commandId: `run-now:${runStreamId(run)}:${requestId}`,
        },
      )
      if (outcome._tag === 'Rejected') throw outcome.rejection
      const evaluated = outcome.events.find((event) => event._tag === 'RunNowEvaluated')
      const started = outcome.events.find((event) => event._tag === 'AttemptStarted')
      const results = evaluated?._tag === 'RunNowEvaluated' ? evaluated.ruleResults : []
      const answer: typeof RunNowAnswer.Type = {
        ...run,
        requestId,
        decision:
          evaluated === undefined
            ? 'duplicate'
            : started === undefined
              ? 'not-ready'
              : startsJob(pipeline.config.job)
                ? 'triggered'
                : 'ready',
        ...(started?._tag === 'AttemptStarted' ? { attemptId: started.attemptId } : {}),
        blocking: results
          .filter((result) => !result.passed)
          .map((result) => ({ key: result.key, reason: result.reason ?? 'did not pass' })),
        passed: evaluated?._tag === 'RunNowEvaluated' ? evaluated.passed : false,
        results,
        run: runOutcomeAnswer(run, outcome),
      }
      return c.json(answer, answer.decision === 'triggered' || answer.decision === 'ready' ? 202 : 200)
    })
}
