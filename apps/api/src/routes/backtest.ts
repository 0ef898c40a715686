import {
  BacktestReport,
  backtest,
  type Calendar,
  CalendarDate,
  type InterlockEvent,
  type PipelineConfig,
  PipelineId,
  parsePipelineConfig,
  pipelineSchedules,
  ScheduleName,
} from '@interlock/domain'
import type { EventStore, Queryable } from '@interlock/eventstore'
import { type CommandBus, PipelineNotFound } from '@interlock/processor'
import { Either, Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { recordedRuns } from '../backtest-history.ts'
import { decodeInput } from '../http/decode-input.ts'
import { InvalidRequest } from '../http/http-errors.ts'
import { readJsonBody } from '../http/read-body.ts'
import { documented, type Operation } from '../openapi/operation.ts'

export const BacktestRequest = Schema.Struct({
  /** The candidate config: YAML text, or the config as JSON. */
  config: Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  from: Schema.optional(CalendarDate),
  to: Schema.optional(CalendarDate),
  schedule: Schema.optional(ScheduleName),
}).annotations({
  identifier: 'BacktestRequest',
  description: 'A candidate config (YAML text or JSON) and the dates to compare, both ends inclusive.',
})

export const BacktestAnswer = Schema.Struct({
  pipelineId: Schema.String,
  liveVersion: Schema.Int,
  from: Schema.NullOr(Schema.String),
  to: Schema.NullOr(Schema.String),
  /** The end of the history: nothing after it was decided. */
  until: Schema.String,
  ...BacktestReport.fields,
}).annotations({ identifier: 'Backtest' })

export const backtestOperations: ReadonlyArray<Operation> = [
  {
    method: 'post',
    path: '/api/pipelines/{id}/backtest',
    tag: 'backtest',
    summary:
      'Replay the recorded periods with a candidate config and compare each with what the live config decided; writes nothing.',
    scope: 'read',
    pathParams: [{ name: 'id', description: 'pipeline id' }],
    body: { schema: documented(BacktestRequest), contentTypes: ['application/json'] },
    responses: {
      200: { description: 'per-period comparison and summary', schema: documented(BacktestAnswer) },
      400: { description: 'invalid candidate config or range; every problem under `config.`' },
      404: { description: 'unknown pipeline' },
    },
  },
]

const configProblem = (path: string, message: string) => ({
  in: 'body' as const,
  path: path === '' ? 'config' : `config.${path}`,
  message,
})

/**
 * The calendars a config names, as registered now (C6). The command bus keeps its own lookup private;
 * this one reads the same calendar streams through its public `calendar`.
 */
export const namedCalendars = async (
  commands: Pick<CommandBus, 'calendar'>,
  config: PipelineConfig,
): Promise<ReadonlyArray<Calendar>> => {
  const names = new Set<string>()
  for (const schedule of pipelineSchedules(config)) {
    if (schedule.calendar !== undefined) names.add(schedule.calendar)
    if (schedule.exclude?.holidays !== undefined) names.add(schedule.exclude.holidays)
  }
  const calendars: Calendar[] = []
  for (const name of names) {
    const state = await commands.calendar(name)
    if (state.status === 'Registered') calendars.push(state.calendar)
  }
  return calendars
}

/** The candidate, validated as a registration would be (every problem at once, paths under `config.`). */
const candidateOf = async (
  commands: Pick<CommandBus, 'calendar'>,
  pipelineId: string,
  input: unknown,
): Promise<{ readonly config: PipelineConfig; readonly calendars: ReadonlyArray<Calendar> }> => {
  const shape = parsePipelineConfig(input)
  const invalid = (issues: ReadonlyArray<{ path: string; message: string }>) =>
    new InvalidRequest({ problems: issues.map((issue) => configProblem(issue.path, issue.message)) })
  if (Either.isLeft(shape)) throw invalid(shape.left)
  // C6: the calendars it names must be registered now, as for a registration.
  const calendars = await namedCalendars(commands, shape.right)
  const parsed = parsePipelineConfig(input, { calendars: calendars.map((calendar) => calendar.name) })
  if (Either.isLeft(parsed)) throw invalid(parsed.left)
  if (parsed.right.pipeline.id !== pipelineId) {
    throw invalid([
      {
        path: 'pipeline.id',
        message: `the candidate names pipeline ${parsed.right.pipeline.id}; a backtest of ${pipelineId} needs pipeline.id: ${pipelineId}`,
      },
    ])
  }
  return { config: parsed.right, calendars }
}

/** What a backtest reads: the pipeline and calendars, the log, the runs read model, the processor's clock. */
export interface BacktestDeps {
  readonly commands: Pick<CommandBus, 'pipeline' | 'calendar'>
  readonly events: Pick<EventStore<InterlockEvent>, 'readStream'>
  readonly readModels: Queryable
  /** The processor's clock: the history ends at its now. */
  readonly decisionClock: () => number
}

/**
 * Backtests a candidate against a pipeline's recorded periods (the API route and the dashboard's page):
 * PipelineNotFound, or InvalidRequest naming every problem of the candidate or the range. Writes nothing.
 */
export async function backtestPipeline(
  deps: BacktestDeps,
  id: string,
  request: typeof BacktestRequest.Type,
): Promise<typeof BacktestAnswer.Type> {
  if (request.from !== undefined && request.to !== undefined && request.from > request.to) {
    throw new InvalidRequest({
      problems: [{ in: 'body', path: 'to', message: `${request.to} is before from (${request.from})` }],
    })
  }
  const pipeline = await deps.commands.pipeline(id)
  if (pipeline.status !== 'Registered') throw new PipelineNotFound({ pipelineId: id })
  const candidate = await candidateOf(deps.commands, id, request.config)
  const until = deps.decisionClock()
  const runs = await recordedRuns(deps.readModels, deps.events, id, {
    scheduleId: request.schedule,
    from: request.from,
    to: request.to,
  })
  const known = new Set<string>(pipelineSchedules(candidate.config).map((schedule) => schedule.name))
  const missing = [...new Set(runs.map((run) => run.run.scheduleId))].filter((name) => !known.has(name))
  if (missing.length > 0) {
    throw new InvalidRequest({
      problems: [
        configProblem(
          '',
          `the candidate has no schedule ${missing.join(', ')}, which the recorded periods ran on`,
        ),
      ],
    })
  }
  const report = backtest({
    runs,
    candidate: {
      config: candidate.config,
      configVersion: pipeline.version + 1,
      calendars: candidate.calendars,
    },
    until,
  })
  const answer: typeof BacktestAnswer.Type = {
    pipelineId: id,
    liveVersion: pipeline.version,
    from: request.from ?? null,
    to: request.to ?? null,
    until: new Date(until).toISOString(),
    ...report,
  }
  return answer
}

/** `POST /api/pipelines/{id}/backtest` (issue #11): the candidate against the recorded history. */
export function backtestRoutes(
  deps: BacktestDeps & {
    readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
    readonly jsonMaxDepth: number
  },
) {
  const params = Schema.Struct({ id: PipelineId })
  return new Hono<AppEnv>().post('/api/pipelines/:id/backtest', deps.guard('read'), async (c) => {
    const { id } = decodeInput(params, 'path', c.req.param())
    const request = decodeInput(BacktestRequest, 'body', (await readJsonBody(c, deps.jsonMaxDepth)).value)
    return c.json(await backtestPipeline(deps, id, request))
  })
}
