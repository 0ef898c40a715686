import {
  encodePipelineConfig,
  type InterlockEvent,
  PipelineConfig,
  type PipelineEvent,
  PipelineId,
  type PipelineRejection,
  parsePipelineConfig,
  type RunEvent,
  runStreamId,
  type ShadowObserved,
  ShadowPeriodDiff,
  shadowDiff,
  shadowRunStreamId,
} from '@interlock/domain'
import type { CommandOutcome, EventStore, Queryable } from '@interlock/eventstore'
import { type CommandBus, ConfigInvalid, PipelineNotFound } from '@interlock/processor'
import { listRuns, MAX_PAGE_SIZE } from '@interlock/projections'
import { Either, Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { commandSource } from '../http/command-source.ts'
import { decodeInput } from '../http/decode-input.ts'
import { ResourceNotFound } from '../http/http-errors.ts'
import { parseJson, requireMediaType } from '../http/read-body.ts'
import { documented, type Operation } from '../openapi/operation.ts'
import { namedCalendars } from './backtest.ts'

const CONFIG_TYPES = [
  'application/json',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
]
const PipelineParams = Schema.Struct({ id: PipelineId })

export const ShadowAnswer = Schema.Struct({
  pipelineId: Schema.String,
  liveVersion: Schema.Int,
  hash: Schema.String,
  since: Schema.String,
  config: Schema.encodedSchema(PipelineConfig),
}).annotations({ identifier: 'Shadow' })

export const ShadowChangeAnswer = Schema.Struct({
  pipelineId: Schema.String,
  /** What the call did: registered (or replaced) the shadow, promoted it, discarded it, or nothing. */
  outcome: Schema.Literal('registered', 'unchanged', 'promoted', 'discarded'),
  /** The live config version afterwards. */
  liveVersion: Schema.Int,
}).annotations({ identifier: 'ShadowChange' })

export const ShadowDiffAnswer = Schema.Struct({
  pipelineId: Schema.String,
  periods: Schema.Array(ShadowPeriodDiff),
  summary: Schema.Struct({ periods: Schema.Int, disagreeing: Schema.Int }),
}).annotations({ identifier: 'ShadowDiff' })

const idParam = [{ name: 'id', description: 'pipeline id' }]
const change = (method: 'put' | 'post' | 'delete', path: string, summary: string): Operation => ({
  method,
  path,
  tag: 'shadow',
  summary,
  scope: 'pipelines:write',
  pathParams: idParam,
  responses: {
    200: { description: 'what changed', schema: documented(ShadowChangeAnswer) },
    404: { description: 'unknown pipeline, or no shadow config' },
  },
})

export const shadowOperations: ReadonlyArray<Operation> = [
  {
    ...change(
      'put',
      '/api/pipelines/{id}/shadow',
      'Register a candidate config beside the live one: it sees every sensor reading from now on and records only SHADOW_* observations (a dry run).',
    ),
    body: { schema: documented(Schema.encodedSchema(PipelineConfig)), contentTypes: CONFIG_TYPES },
  },
  {
    method: 'get',
    path: '/api/pipelines/{id}/shadow',
    tag: 'shadow',
    summary: 'The shadow config, if the pipeline has one.',
    scope: 'read',
    pathParams: idParam,
    responses: {
      200: { description: 'the shadow', schema: documented(ShadowAnswer) },
      404: { description: 'none' },
    },
  },
  change(
    'post',
    '/api/pipelines/{id}/shadow/promote',
    'Make the shadow config the live one (a new config version).',
  ),
  change(
    'delete',
    '/api/pipelines/{id}/shadow',
    'Discard the shadow config; its observations stay in the log.',
  ),
  {
    method: 'get',
    path: '/api/pipelines/{id}/shadow/diff',
    tag: 'shadow',
    summary: 'Where the shadow config disagreed with the live one, period by period.',
    scope: 'read',
    pathParams: idParam,
    responses: { 200: { description: 'per-period disagreements', schema: documented(ShadowDiffAnswer) } },
  },
]

/** Shadow mode (issue #11): register, read, diff, promote and discard a pipeline's shadow config. */
export function shadowRoutes(deps: {
  readonly commands: Pick<CommandBus, 'pipeline' | 'pipelineCommand' | 'calendar'>
  readonly events: Pick<EventStore<InterlockEvent>, 'readStream'>
  readonly readModels: Queryable
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
  readonly jsonMaxDepth: number
}) {
  const registered = async (pipelineId: string) => {
    const state = await deps.commands.pipeline(pipelineId)
    if (state.status !== 'Registered') throw new PipelineNotFound({ pipelineId })
    return state
  }
  const answer = async (
    pipelineId: string,
    outcome: CommandOutcome<PipelineEvent, PipelineRejection>,
    done: 'registered' | 'promoted' | 'discarded',
  ): Promise<typeof ShadowChangeAnswer.Type> => {
    if (outcome._tag === 'Rejected') throw outcome.rejection
    const state = await registered(pipelineId)
    return { pipelineId, outcome: outcome.events.length > 0 ? done : 'unchanged', liveVersion: state.version }
  }
  return new Hono<AppEnv>()
    .put('/api/pipelines/:id/shadow', deps.guard('pipelines:write'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      await registered(id)
      const type = requireMediaType(c, CONFIG_TYPES)
      const text = await c.req.text()
      const input = type === 'application/json' ? parseJson(text, deps.jsonMaxDepth) : text
      const shape = parsePipelineConfig(input)
      if (Either.isLeft(shape)) throw new ConfigInvalid({ issues: shape.left })
      // C6, as for a registration: the calendars it names must be registered now.
      const calendars = await namedCalendars(deps.commands, shape.right)
      const parsed = parsePipelineConfig(input, { calendars: calendars.map((calendar) => calendar.name) })
      if (Either.isLeft(parsed)) throw new ConfigInvalid({ issues: parsed.left })
      const outcome = await deps.commands.pipelineCommand(
        id,
        { _tag: 'RegisterShadowConfig', config: parsed.right },
        commandSource(c),
      )
      return c.json(await answer(id, outcome, 'registered'))
    })
    .get('/api/pipelines/:id/shadow', deps.guard('read'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      const state = await registered(id)
      if (state.shadow === null) throw new ResourceNotFound({ resource: 'shadow config', id, field: 'id' })
      const shadow: typeof ShadowAnswer.Type = {
        pipelineId: id,
        liveVersion: state.version,
        hash: state.shadow.hash,
        since: state.shadow.since,
        config: encodePipelineConfig(state.shadow.config),
      }
      return c.json(shadow)
    })
    .post('/api/pipelines/:id/shadow/promote', deps.guard('pipelines:write'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      await registered(id)
      const outcome = await deps.commands.pipelineCommand(
        id,
        { _tag: 'PromoteShadowConfig' },
        commandSource(c),
      )
      return c.json(await answer(id, outcome, 'promoted'))
    })
    .delete('/api/pipelines/:id/shadow', deps.guard('pipelines:write'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      await registered(id)
      const outcome = await deps.commands.pipelineCommand(
        id,
        { _tag: 'DiscardShadowConfig' },
        commandSource(c),
      )
      return c.json(await answer(id, outcome, 'discarded'))
    })
    .get('/api/pipelines/:id/shadow/diff', deps.guard('read'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      await registered(id)
      const periods = []
      let cursor: string | undefined
      do {
        const page = await listRuns(deps.readModels, id, {
          limit: MAX_PAGE_SIZE,
          ...(cursor === undefined ? {} : { cursor }),
        })
        for (const view of page.items) {
          const run = { pipelineId: id, scheduleId: view.scheduleId, period: view.period }
          const shadow = await deps.events.readStream(shadowRunStreamId(run))
          if (shadow.length === 0) continue
          const live = await deps.events.readStream(runStreamId(run))
          periods.push({
            run,
            live: live.map((recorded) => recorded.event as RunEvent),
            shadow: shadow.map((recorded) => (recorded.event as ShadowObserved).observation),
          })
        }
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined)
      const diff = shadowDiff(periods.reverse())
      const body: typeof ShadowDiffAnswer.Type = {
        pipelineId: id,
        periods: diff,
        summary: {
          periods: diff.length,
          disagreeing: diff.filter((period) => period.disagreements.length > 0).length,
        },
      }
      return c.json(body)
    })
}
