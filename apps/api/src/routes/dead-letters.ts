import type { Queryable } from '@interlock/eventstore'
import { listDeadLetters } from '@interlock/projections'
import { Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { decodeInput } from '../http/decode-input.ts'
import { jsonAnswer } from '../http/json-answer.ts'
import { PageQuery, pageAnswer, present } from '../http/list-query.ts'
import { documented, type Operation } from '../openapi/operation.ts'

const DeadLettersQuery = Schema.Struct({
  ...PageQuery.fields,
  kind: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))),
  includeRedriven: Schema.optional(Schema.BooleanFromString),
})
const DeadLetterPage = pageAnswer(
  Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  'DeadLetterPage',
)

export const deadLetterOperations: ReadonlyArray<Operation> = [
  {
    method: 'get',
    path: '/api/dead-letters',
    tag: 'dead letters',
    summary:
      'Side effects that failed every delivery attempt, newest first (open ones unless includeRedriven=true).',
    scope: 'read',
    query: documented(DeadLettersQuery),
    responses: { 200: { description: 'a page of dead letters', schema: documented(DeadLetterPage) } },
  },
]

/** Dead letters, for operators. */
export function deadLetterRoutes(deps: {
  readonly readModels: Queryable
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
}) {
  return new Hono<AppEnv>().get('/api/dead-letters', deps.guard('read'), async (c) => {
    const query = decodeInput(DeadLettersQuery, 'query', c.req.query())
    return jsonAnswer(c, await listDeadLetters(deps.readModels, present(query)))
  })
}
