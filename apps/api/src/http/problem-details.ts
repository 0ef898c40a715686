import type { FieldProblem } from './http-errors.ts'

/** RFC 9457 problem details, plus the list of fields at fault (`errors`) that every 4xx carries. */
export interface ProblemDetails {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly instance?: string
  readonly errors?: ReadonlyArray<FieldProblem>
}

interface ProblemKind {
  readonly status: number
  readonly title: string
  /** The fields at fault, when the error does not list them itself (domain and processor errors). */
  readonly fields?: (error: Record<string, unknown>, message: string) => ReadonlyArray<FieldProblem>
}

const pathField =
  (path: string) =>
  (_error: Record<string, unknown>, message: string): ReadonlyArray<FieldProblem> => [
    { in: 'path', path, message },
  ]

/**
 * Every expected failure the API answers, by `_tag`: the one table that turns errors into HTTP
 * (STYLE rule 20). A tag not listed here is a bug and becomes a bare 500.
 */
const PROBLEM_KINDS: Readonly<Record<string, ProblemKind>> = {
  Unauthenticated: { status: 401, title: 'Unauthenticated' },
  MissingScope: { status: 403, title: 'Missing scope' },
  RateLimited: { status: 429, title: 'Too many requests' },
  PayloadTooLarge: { status: 413, title: 'Payload too large' },
  MalformedJson: { status: 400, title: 'Malformed JSON' },
  JsonTooDeep: { status: 400, title: 'JSON nested too deep' },
  UnsupportedMediaType: { status: 415, title: 'Unsupported media type' },
  InvalidRequest: { status: 400, title: 'Invalid request' },
  RouteNotFound: { status: 404, title: 'Route not found' },
  ResourceNotFound: { status: 404, title: 'Not found' },
  IdempotencyKeyReused: { status: 422, title: 'Idempotency key reused' },
  ClockNotSimulated: { status: 404, title: 'Clock is not simulated' },
  RedriveRefused: { status: 409, title: 'Redrive refused' },
  PipelineNotFound: { status: 404, title: 'Pipeline not found', fields: pathField('id') },
  PipelineNotRegistered: { status: 404, title: 'Pipeline not registered', fields: pathField('id') },
  NoShadowConfig: { status: 404, title: 'No shadow config', fields: pathField('id') },
  PipelineIsPaused: { status: 409, title: 'Pipeline is paused', fields: pathField('id') },
  UnknownSchedule: { status: 404, title: 'Unknown schedule', fields: pathField('schedule') },
  AttemptNotFound: { status: 404, title: 'Attempt not found', fields: pathField('attemptId') },
  JobNotStartedYet: { status: 409, title: 'Job not started yet', fields: pathField('attemptId') },
  StreamVersionConflict: {
    status: 409,
    title: 'Concurrent change',
    fields: (_error, message) => [{ in: 'path', path: '', message }],
  },
  InvalidSensorPeriod: {
    status: 400,
    title: 'Invalid execution period',
    fields: (error, message) => [{ in: 'body', path: String(error.field), message }],
  },
  PipelineIdMismatch: {
    status: 400,
    title: 'Pipeline id mismatch',
    fields: (_error, message) => [{ in: 'body', path: 'pipeline.id', message }],
  },
  RunAlreadyStarted: { status: 409, title: 'Run already started' },
  RunNotAllowed: { status: 409, title: 'Run not allowed' },
  CalendarNameMismatch: {
    status: 400,
    title: 'Calendar name mismatch',
    fields: (_error, message) => [{ in: 'body', path: 'name', message }],
  },
  InvalidPageRequest: {
    status: 400,
    title: 'Invalid page request',
    fields: (error, message) => [{ in: 'query', path: String(error.field), message }],
  },
  ConfigInvalid: {
    status: 400,
    title: 'Invalid config',
    fields: (error) =>
      (error.issues as ReadonlyArray<{ path: string; message: string }>).map((issue) => ({
        in: 'body' as const,
        path: issue.path,
        message: issue.message,
      })),
  },
}

const kebab = (tag: string): string => tag.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()

function tagOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('_tag' in error)) return undefined
  return typeof error._tag === 'string' ? error._tag : undefined
}

/** The problem an expected error stands for, or undefined for anything else (a bug: answer 500). */
export function problemOf(error: unknown, requestId: string | undefined): ProblemDetails | undefined {
  const tag = tagOf(error)
  const kind = tag === undefined ? undefined : PROBLEM_KINDS[tag]
  if (tag === undefined || kind === undefined) return undefined
  const record = error as Record<string, unknown>
  const detail = String(record.message)
  const own = record.fields as ReadonlyArray<FieldProblem> | undefined
  return {
    type: `urn:interlock:problem:${kebab(tag)}`,
    title: kind.title,
    status: kind.status,
    detail,
    ...(requestId === undefined ? {} : { instance: `urn:interlock:request:${requestId}` }),
    errors: own ?? kind.fields?.(record, detail) ?? [],
  }
}

/** The answer to an unexpected failure: nothing about what went wrong inside. */
export function internalProblem(requestId: string | undefined): ProblemDetails {
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail:
      requestId === undefined
        ? 'The server failed to answer this request.'
        : `The server failed to answer this request; quote request id ${requestId} when reporting it.`,
    ...(requestId === undefined ? {} : { instance: `urn:interlock:request:${requestId}` }),
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'
