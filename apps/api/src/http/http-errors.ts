import { Data } from 'effect'

/** Where a faulty value sits in the request. */
export type FieldLocation = 'body' | 'header' | 'query' | 'path'

/** One problem with one field of a request: every 4xx answer lists at least one. */
export interface FieldProblem {
  readonly in: FieldLocation
  /** `data.date`, `job.config.jobName`, `items[3].key`, `Authorization`, `limit`; empty for the whole body. */
  readonly path: string
  readonly message: string
}

const UNAUTHENTICATED_MESSAGES = {
  missing:
    'The request has no Authorization header; send "Authorization: Bearer <token>" with a token made by `interlock token create`.',
  malformed:
    'The Authorization header is not of the form "Bearer <token>"; send the token after the word Bearer and one space.',
  unknown:
    'The bearer token is not known; check that it was copied whole, or create one with `interlock token create`.',
  revoked: 'The bearer token was revoked; create a new one with `interlock token create`.',
} as const

/** No usable bearer token: missing, not of the form `Bearer <token>`, unknown or revoked. */
export class Unauthenticated extends Data.TaggedError('Unauthenticated')<{
  readonly reason: keyof typeof UNAUTHENTICATED_MESSAGES
}> {
  override get message(): string {
    return UNAUTHENTICATED_MESSAGES[this.reason]
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'header', path: 'Authorization', message: this.message }]
  }
}

/** The token is valid but lacks the scope this route needs. */
export class MissingScope extends Data.TaggedError('MissingScope')<{
  readonly required: string
  readonly held: ReadonlyArray<string>
}> {
  override get message(): string {
    const held = this.held.length === 0 ? 'no scope' : this.held.join(', ')
    return `This route needs a token with scope "${this.required}" (or "admin"); the token has ${held}. Create a token with that scope.`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'header', path: 'Authorization', message: this.message }]
  }
}

/** The token sent more requests than its rate allows. */
export class RateLimited extends Data.TaggedError('RateLimited')<{
  readonly perSecond: number
  readonly retryAfterSeconds: number
}> {
  override get message(): string {
    return `This token may send ${this.perSecond} request(s) per second; retry after ${this.retryAfterSeconds} s, or batch sensor readings through POST /api/sensors.`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'header', path: 'Authorization', message: this.message }]
  }
}

export class PayloadTooLarge extends Data.TaggedError('PayloadTooLarge')<{ readonly limitBytes: number }> {
  override get message(): string {
    return `The request body is larger than ${this.limitBytes} bytes; send less (sensor batches hold at most 1,000 readings).`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'body', path: '', message: this.message }]
  }
}

export class MalformedJson extends Data.TaggedError('MalformedJson')<{ readonly reason: string }> {
  override get message(): string {
    return `The request body is not valid JSON (${this.reason}); send a JSON document.`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'body', path: '', message: this.message }]
  }
}

export class JsonTooDeep extends Data.TaggedError('JsonTooDeep')<{ readonly maxDepth: number }> {
  override get message(): string {
    return `The request body nests arrays and objects deeper than ${this.maxDepth} levels; flatten it.`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'body', path: '', message: this.message }]
  }
}

export class UnsupportedMediaType extends Data.TaggedError('UnsupportedMediaType')<{
  readonly contentType: string
  readonly accepted: ReadonlyArray<string>
}> {
  override get message(): string {
    const sent = this.contentType === '' ? 'no Content-Type' : `Content-Type "${this.contentType}"`
    return `The request has ${sent}; send one of ${this.accepted.join(', ')}.`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'header', path: 'Content-Type', message: this.message }]
  }
}

/** A body, query or path value did not decode: every problem at once. */
export class InvalidRequest extends Data.TaggedError('InvalidRequest')<{
  readonly problems: ReadonlyArray<FieldProblem>
}> {
  override get message(): string {
    return `The request has ${this.problems.length} invalid field(s): ${this.problems
      .map((problem) => `${problem.in} ${problem.path === '' ? '(whole)' : problem.path}: ${problem.message}`)
      .join('; ')}`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return this.problems
  }
}

export class RouteNotFound extends Data.TaggedError('RouteNotFound')<{
  readonly method: string
  readonly path: string
}> {
  override get message(): string {
    return `There is no route ${this.method} ${this.path}; the routes are listed at /api/openapi.json and /api/docs.`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'path', path: this.path, message: this.message }]
  }
}

/** A resource named in the path does not exist. */
export class ResourceNotFound extends Data.TaggedError('ResourceNotFound')<{
  readonly resource: string
  readonly id: string
  readonly field: string
}> {
  override get message(): string {
    return `There is no ${this.resource} "${this.id}"; check the ${this.field} in the path.`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'path', path: this.field, message: this.message }]
  }
}

/** The same Idempotency-Key came with a different request: the first answer cannot stand for it. */
export class IdempotencyKeyReused extends Data.TaggedError('IdempotencyKeyReused')<{ readonly key: string }> {
  override get message(): string {
    return `Idempotency-Key "${this.key}" was first used for a different request to this sensor; use a new key for a new reading.`
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'header', path: 'Idempotency-Key', message: this.message }]
  }
}

export class ClockNotSimulated extends Data.TaggedError('ClockNotSimulated') {
  override get message(): string {
    return 'The clock routes exist only when the processor runs with INTERLOCK_CLOCK=simulated.'
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'path', path: '/api/clock', message: this.message }]
  }
}

/** A dead letter that cannot be redriven: of a kind with no redrive, redriven before, or not dead any more. */
export class RedriveRefused extends Data.TaggedError('RedriveRefused')<{
  readonly id: string
  readonly reason: string
}> {
  override get message(): string {
    return this.reason
  }

  get fields(): ReadonlyArray<FieldProblem> {
    return [{ in: 'path', path: 'id', message: this.reason }]
  }
}
