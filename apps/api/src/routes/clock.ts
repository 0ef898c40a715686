import { parseDuration } from '@interlock/domain'
import { Either, Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { decodeInput } from '../http/decode-input.ts'
import { ClockNotSimulated, InvalidRequest } from '../http/http-errors.ts'
import { readJsonBody } from '../http/read-body.ts'
import { documented, type Operation } from '../openapi/operation.ts'

/** The processor's simulated clock, when it runs with INTERLOCK_CLOCK=simulated. */
export interface ClockControl {
  now(): number
  /** Moves virtual time to `to`, firing every due timer and waiting for its effects; answers how many fired. */
  advanceTo(to: number): Promise<number>
}

export const AdvanceRequest = Schema.Union(
  Schema.Struct({
    to: Schema.String.pipe(
      Schema.filter((text) => !Number.isNaN(Date.parse(text)) || `"${text}" is not an ISO-8601 timestamp`),
    ),
  }),
  Schema.Struct({ by: Schema.String.pipe(Schema.minLength(1)) }),
).annotations({
  identifier: 'AdvanceClock',
  description: '{"to": ISO-8601 instant} or {"by": Go duration such as "90m"}',
})

export const ClockAnswer = Schema.Struct({
  mode: Schema.Literal('simulated'),
  now: Schema.String,
  fired: Schema.optional(Schema.Int),
}).annotations({ identifier: 'Clock' })

export const clockOperations: ReadonlyArray<Operation> = [
  {
    method: 'get',
    path: '/api/clock',
    tag: 'clock',
    summary: 'The simulated clock (404 unless the processor runs with INTERLOCK_CLOCK=simulated).',
    scope: 'read',
    responses: {
      200: { description: 'virtual now', schema: documented(ClockAnswer) },
      404: { description: 'system clock' },
    },
  },
  {
    method: 'post',
    path: '/api/clock/advance',
    tag: 'clock',
    summary: 'Move the simulated clock forward; answers once every timer due on the way has been handled.',
    scope: 'admin',
    body: { schema: documented(AdvanceRequest), contentTypes: ['application/json'] },
    responses: {
      200: { description: 'new virtual now and timers fired', schema: documented(ClockAnswer) },
      404: { description: 'system clock' },
    },
  },
]

/** The simulated clock, for end-to-end suites and users' CI. */
export function clockRoutes(deps: {
  readonly clock: ClockControl | undefined
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
  readonly jsonMaxDepth: number
}) {
  const simulated = (): ClockControl => {
    if (deps.clock === undefined) throw new ClockNotSimulated()
    return deps.clock
  }
  return new Hono<AppEnv>()
    .get('/api/clock', deps.guard('read'), (c) =>
      c.json({
        mode: 'simulated',
        now: new Date(simulated().now()).toISOString(),
      } satisfies typeof ClockAnswer.Type),
    )
    .post('/api/clock/advance', deps.guard('admin'), async (c) => {
      const clock = simulated()
      const request = decodeInput(AdvanceRequest, 'body', (await readJsonBody(c, deps.jsonMaxDepth)).value)
      let to: number
      if ('to' in request) to = Date.parse(request.to)
      else {
        const by = parseDuration(request.by)
        if (Either.isLeft(by) || by.right.millis < 0) {
          throw new InvalidRequest({
            problems: [
              {
                in: 'body',
                path: 'by',
                message: `"${request.by}" is not a positive Go duration such as 90s, 15m or 1h30m`,
              },
            ],
          })
        }
        to = clock.now() + by.right.millis
      }
      if (to < clock.now()) {
        throw new InvalidRequest({
          problems: [
            {
              in: 'body',
              path: 'to',
              message: `${new Date(to).toISOString()} is before the clock (${new Date(clock.now()).toISOString()}); time only moves forward`,
            },
          ],
        })
      }
      const fired = await clock.advanceTo(to)
      return c.json({
        mode: 'simulated',
        now: new Date(clock.now()).toISOString(),
        fired,
      } satisfies typeof ClockAnswer.Type)
    })
}
