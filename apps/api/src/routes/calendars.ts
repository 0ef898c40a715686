import { Calendar, CalendarName } from '@interlock/domain'
import type { CommandBus } from '@interlock/processor'
import { Either, Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { commandSource } from '../http/command-source.ts'
import { decodeInput } from '../http/decode-input.ts'
import { ResourceNotFound } from '../http/http-errors.ts'
import { parseJson, requireMediaType } from '../http/read-body.ts'
import { documented, type Operation } from '../openapi/operation.ts'

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']
const CALENDAR_TYPES = ['application/json', ...YAML_TYPES]

const CalendarParams = Schema.Struct({ name: CalendarName })

export const CalendarVersionAnswer = Schema.Struct({
  name: Schema.String,
  version: Schema.Int,
  /** False when the same content was registered again: no new version. */
  changed: Schema.Boolean,
}).annotations({ identifier: 'CalendarVersion' })

export const CalendarAnswer = Schema.Struct({
  name: Schema.String,
  version: Schema.Int,
  calendar: Schema.encodedSchema(Calendar),
}).annotations({ identifier: 'NamedCalendar' })

export const CalendarRemovedAnswer = Schema.Struct({
  name: Schema.String,
  status: Schema.Literal('removed'),
  changed: Schema.Boolean,
}).annotations({ identifier: 'CalendarRemoved' })

const encodeCalendar = Schema.encodeSync(Calendar)
const nameParam = [{ name: 'name', description: 'calendar name (the `name` of its definition)' }]

export const calendarOperations: ReadonlyArray<Operation> = [
  {
    method: 'put',
    path: '/api/calendars/{name}',
    tag: 'calendars',
    summary:
      'Register or change a named calendar (YAML or JSON: name, days, dates). An invalid one is a 400 listing every problem; nothing is stored. Same content again: no new version.',
    scope: 'pipelines:write',
    pathParams: nameParam,
    body: { schema: documented(Calendar), contentTypes: CALENDAR_TYPES },
    responses: {
      201: { description: 'first version registered', schema: documented(CalendarVersionAnswer) },
      200: { description: 'changed, or unchanged', schema: documented(CalendarVersionAnswer) },
    },
  },
  {
    method: 'get',
    path: '/api/calendars/{name}',
    tag: 'calendars',
    summary: 'The calendar definition and its version.',
    scope: 'read',
    pathParams: nameParam,
    responses: {
      200: { description: 'the calendar', schema: documented(CalendarAnswer) },
      404: { description: 'not registered' },
    },
  },
  {
    method: 'delete',
    path: '/api/calendars/{name}',
    tag: 'calendars',
    summary: 'Remove the calendar; registering it again later starts a new version.',
    scope: 'pipelines:write',
    pathParams: nameParam,
    responses: {
      200: { description: 'removed', schema: documented(CalendarRemovedAnswer) },
      404: { description: 'not registered' },
    },
  },
]

type Commands = Pick<CommandBus, 'registerCalendar' | 'calendarCommand' | 'calendar'>

/** Named calendars (C6): register or change, read, remove. Writes need `pipelines:write`, like configs. */
export function calendarRoutes(deps: {
  readonly commands: Commands
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
  readonly jsonMaxDepth: number
}) {
  const registered = async (name: string) => {
    const state = await deps.commands.calendar(name)
    if (state.status !== 'Registered')
      throw new ResourceNotFound({ resource: 'calendar', id: name, field: 'name' })
    return state
  }
  return new Hono<AppEnv>()
    .put('/api/calendars/:name', deps.guard('pipelines:write'), async (c) => {
      const { name } = decodeInput(CalendarParams, 'path', c.req.param())
      const type = requireMediaType(c, CALENDAR_TYPES)
      const text = await c.req.text()
      const input = type === 'application/json' ? parseJson(text, deps.jsonMaxDepth) : text
      const result = await deps.commands.registerCalendar(input, commandSource(c), { expectedName: name })
      if (Either.isLeft(result)) throw result.left
      const answer: typeof CalendarVersionAnswer.Type = result.right
      return c.json(answer, answer.changed && answer.version === 1 ? 201 : 200)
    })
    .get('/api/calendars/:name', deps.guard('read'), async (c) => {
      const { name } = decodeInput(CalendarParams, 'path', c.req.param())
      const state = await registered(name)
      const answer: typeof CalendarAnswer.Type = {
        name,
        version: state.version,
        calendar: encodeCalendar(state.calendar),
      }
      return c.json(answer)
    })
    .delete('/api/calendars/:name', deps.guard('pipelines:write'), async (c) => {
      const { name } = decodeInput(CalendarParams, 'path', c.req.param())
      await registered(name)
      const outcome = await deps.commands.calendarCommand(name, { _tag: 'RemoveCalendar' }, commandSource(c))
      if (outcome._tag === 'Rejected') throw outcome.rejection
      const answer: typeof CalendarRemovedAnswer.Type = {
        name,
        status: 'removed',
        changed: outcome.events.length > 0,
      }
      return c.json(answer)
    })
}
