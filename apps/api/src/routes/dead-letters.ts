import type { Queryable } from '@interlock/eventstore'
import { type DeadLetter, listDeadLetters } from '@interlock/projections'
import { Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { decodeInput } from '../http/decode-input.ts'
import { ResourceNotFound } from '../http/http-errors.ts'
import { jsonAnswer } from '../http/json-answer.ts'
import { PageQuery, pageAnswer, present } from '../http/list-query.ts'
import { documented, type Operation } from '../openapi/operation.ts'

const DeadLettersQuery = Schema.Struct({
  ...PageQuery.fields,
  kind: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100))),
  includeRedriven: Schema.optional(Schema.BooleanFromString),
})
/** Redrive of dead letters, by kind; only the kinds the processor can redrive are here. */
export interface DeadLetterRedrive {
  get(id: bigint): Promise<DeadLetter | null>
  /** Puts the failed work back in its queue and marks the letter redriven; throws RedriveRefused otherwise. */
  redrive(deadLetter: DeadLetter): Promise<void>
}

const DeadLetterParams = Schema.Struct({
  id: Schema.String.pipe(
    Schema.pattern(/^[1-9][0-9]{0,17}$/, { message: () => 'a dead letter id is a positive whole number' }),
  ),
})

export const RedriveAnswer = Schema.Struct({
  id: Schema.String,
  kind: Schema.String,
  redriven: Schema.Literal(true),
}).annotations({
  identifier: 'Redriven',
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
  {
    method: 'post',
    path: '/api/dead-letters/{id}/redrive',
    tag: 'dead letters',
    summary: 'Put a dead-lettered alert delivery back in its queue with a fresh retry budget.',
    scope: 'admin',
    pathParams: [{ name: 'id', description: 'dead letter id' }],
    responses: {
      200: { description: 'requeued', schema: documented(RedriveAnswer) },
      404: { description: 'no such dead letter' },
      409: { description: 'of a kind without redrive, or redriven before' },
    },
  },
]

/** Dead letters, for operators. */
export function deadLetterRoutes(deps: {
  readonly readModels: Queryable
  readonly redrive: DeadLetterRedrive
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
}) {
  return new Hono<AppEnv>()
    .get('/api/dead-letters', deps.guard('read'), async (c) => {
      const query = decodeInput(DeadLettersQuery, 'query', c.req.query())
      return jsonAnswer(c, await listDeadLetters(deps.readModels, present(query)))
    })
    .post('/api/dead-letters/:id/redrive', deps.guard('admin'), async (c) => {
      const { id } = decodeInput(DeadLetterParams, 'path', c.req.param())
      const letter = await deps.redrive.get(BigInt(id))
      if (letter === null) throw new ResourceNotFound({ resource: 'dead letter', id, field: 'id' })
      await deps.redrive.redrive(letter)
      return c.json({ id, kind: letter.kind, redriven: true } satisfies typeof RedriveAnswer.Type)
    })
}
