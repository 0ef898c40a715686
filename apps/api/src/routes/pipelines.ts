import {
  encodePipelineConfig,
  PipelineConfig,
  type PipelineEvent,
  PipelineId,
  type PipelineRejection,
} from '@interlock/domain'
import type { CommandOutcome, Queryable } from '@interlock/eventstore'
import type { CommandBus } from '@interlock/processor'
import { listPipelines } from '@interlock/projections'
import { Either, Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { commandSource } from '../http/command-source.ts'
import { decodeInput } from '../http/decode-input.ts'
import { ResourceNotFound } from '../http/http-errors.ts'
import { jsonAnswer } from '../http/json-answer.ts'
import { PageQuery, pageAnswer, present } from '../http/list-query.ts'
import { parseJson, requireMediaType } from '../http/read-body.ts'
import { documented, type Operation } from '../openapi/operation.ts'

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']
const CONFIG_TYPES = ['application/json', ...YAML_TYPES]

const PipelineParams = Schema.Struct({ id: PipelineId })

export const PauseRequest = Schema.Struct({
  reason: Schema.optional(Schema.String.pipe(Schema.maxLength(1_000))),
}).annotations({ identifier: 'PauseRequest' })

export const PipelineVersionAnswer = Schema.Struct({
  pipelineId: Schema.String,
  version: Schema.Int,
  /** False when the same content was registered again: no new version. */
  changed: Schema.Boolean,
}).annotations({ identifier: 'PipelineVersion' })

export const PipelineAnswer = Schema.Struct({
  pipelineId: Schema.String,
  version: Schema.Int,
  status: Schema.Literal('active', 'paused'),
  monitoringSince: Schema.String,
  config: Schema.encodedSchema(PipelineConfig),
}).annotations({ identifier: 'Pipeline' })

export const PipelineStatusAnswer = Schema.Struct({
  pipelineId: Schema.String,
  status: Schema.Literal('active', 'paused', 'removed'),
  changed: Schema.Boolean,
}).annotations({ identifier: 'PipelineStatus' })

const PipelinesQuery = Schema.Struct({
  ...PageQuery.fields,
  includeRemoved: Schema.optional(Schema.BooleanFromString),
})
const PipelinePage = pageAnswer(Schema.Record({ key: Schema.String, value: Schema.Unknown }), 'PipelinePage')

const idParam = [{ name: 'id', description: 'pipeline id (pipeline.id of its config)' }]

export const pipelineOperations: ReadonlyArray<Operation> = [
  {
    method: 'get',
    path: '/api/pipelines',
    tag: 'pipelines',
    summary: 'Pipelines in id order (removed ones with includeRemoved=true).',
    scope: 'read',
    query: documented(PipelinesQuery),
    responses: { 200: { description: 'a page of pipelines', schema: documented(PipelinePage) } },
  },
  {
    method: 'put',
    path: '/api/pipelines/{id}',
    tag: 'pipelines',
    summary:
      'Register or change a pipeline config (YAML or JSON). An invalid config is a 400 listing every problem; nothing is stored. Same content again: no new version.',
    scope: 'pipelines:write',
    pathParams: idParam,
    body: { schema: documented(PipelineConfig), contentTypes: CONFIG_TYPES },
    responses: {
      201: { description: 'first version registered', schema: documented(PipelineVersionAnswer) },
      200: { description: 'changed, or unchanged', schema: documented(PipelineVersionAnswer) },
    },
  },
  {
    method: 'get',
    path: '/api/pipelines/{id}',
    tag: 'pipelines',
    summary: 'The pipeline config, its version and status.',
    scope: 'read',
    pathParams: idParam,
    responses: {
      200: { description: 'the pipeline', schema: documented(PipelineAnswer) },
      404: { description: 'not registered' },
    },
  },
  {
    method: 'delete',
    path: '/api/pipelines/{id}',
    tag: 'pipelines',
    summary: 'Remove the pipeline: it stops being evaluated; its history stays in the log.',
    scope: 'pipelines:write',
    pathParams: idParam,
    responses: {
      200: { description: 'removed', schema: documented(PipelineStatusAnswer) },
      404: { description: 'not registered' },
    },
  },
  {
    method: 'post',
    path: '/api/pipelines/{id}/pause',
    tag: 'pipelines',
    summary: 'Pause: readings and job outcomes are still recorded, nothing new is started.',
    scope: 'pipelines:write',
    pathParams: idParam,
    body: { schema: documented(PauseRequest), contentTypes: ['application/json'] },
    responses: {
      200: { description: 'paused', schema: documented(PipelineStatusAnswer) },
      404: { description: 'not registered' },
    },
  },
  {
    method: 'post',
    path: '/api/pipelines/{id}/resume',
    tag: 'pipelines',
    summary: 'Resume a paused pipeline.',
    scope: 'pipelines:write',
    pathParams: idParam,
    responses: {
      200: { description: 'active', schema: documented(PipelineStatusAnswer) },
      404: { description: 'not registered' },
    },
  },
]

type Commands = Pick<CommandBus, 'registerPipeline' | 'pipelineCommand' | 'pipeline'>

function statusChange(
  pipelineId: string,
  status: 'active' | 'paused' | 'removed',
  outcome: CommandOutcome<PipelineEvent, PipelineRejection>,
): typeof PipelineStatusAnswer.Type {
  if (outcome._tag === 'Rejected') throw outcome.rejection
  return { pipelineId, status, changed: outcome.events.length > 0 }
}

/** Pipeline configs and their lifecycle (register, change, remove, pause, resume). */
export function pipelineRoutes(deps: {
  readonly commands: Commands
  readonly readModels: Queryable
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
  readonly jsonMaxDepth: number
}) {
  const registered = async (pipelineId: string) => {
    const state = await deps.commands.pipeline(pipelineId)
    if (state.status !== 'Registered')
      throw new ResourceNotFound({ resource: 'pipeline', id: pipelineId, field: 'id' })
    return state
  }
  return new Hono<AppEnv>()
    .get('/api/pipelines', deps.guard('read'), async (c) => {
      const query = decodeInput(PipelinesQuery, 'query', c.req.query())
      return jsonAnswer(c, await listPipelines(deps.readModels, present(query)))
    })
    .put('/api/pipelines/:id', deps.guard('pipelines:write'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      const type = requireMediaType(c, CONFIG_TYPES)
      const text = await c.req.text()
      const input = type === 'application/json' ? parseJson(text, deps.jsonMaxDepth) : text
      const result = await deps.commands.registerPipeline(input, commandSource(c), { expectedId: id })
      if (Either.isLeft(result)) throw result.left
      const { pipelineId, version, changed } = result.right
      const answer: typeof PipelineVersionAnswer.Type = { pipelineId, version, changed }
      return c.json(answer, changed && version === 1 ? 201 : 200)
    })
    .get('/api/pipelines/:id', deps.guard('read'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      const state = await registered(id)
      const answer: typeof PipelineAnswer.Type = {
        pipelineId: id,
        version: state.version,
        status: state.paused ? 'paused' : 'active',
        monitoringSince: state.monitoringSince,
        config: encodePipelineConfig(state.config),
      }
      return c.json(answer)
    })
    .delete('/api/pipelines/:id', deps.guard('pipelines:write'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      await registered(id)
      const outcome = await deps.commands.pipelineCommand(id, { _tag: 'RemovePipeline' }, commandSource(c))
      return c.json(statusChange(id, 'removed', outcome))
    })
    .post('/api/pipelines/:id/pause', deps.guard('pipelines:write'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      // The body is optional: an empty one pauses without a reason.
      const text = await c.req.text()
      let request: typeof PauseRequest.Type = {}
      if (text.trim() !== '') {
        requireMediaType(c, ['application/json'])
        request = decodeInput(PauseRequest, 'body', parseJson(text, deps.jsonMaxDepth))
      }
      await registered(id)
      const outcome = await deps.commands.pipelineCommand(
        id,
        { _tag: 'PausePipeline', ...(request.reason === undefined ? {} : { reason: request.reason }) },
        commandSource(c),
      )
      return c.json(statusChange(id, 'paused', outcome))
    })
    .post('/api/pipelines/:id/resume', deps.guard('pipelines:write'), async (c) => {
      const { id } = decodeInput(PipelineParams, 'path', c.req.param())
      await registered(id)
      const outcome = await deps.commands.pipelineCommand(id, { _tag: 'ResumePipeline' }, commandSource(c))
      return c.json(statusChange(id, 'active', outcome))
    })
}
