import { instantOf, PipelineId, type Severity } from '@interlock/domain'
import type { AuditEventFilter } from '@interlock/projections'
import { Either } from 'effect'
import { decodeInputEither } from '../http/decode-input.ts'
import { type EventsFilterForm, SEVERITIES } from './pages/events-page.ts'

const EVENT_TYPE = /^[A-Z_]{1,64}$/

const problemsOf = (problems: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')

/**
 * The events page's query as the form shows it back, the filter to read with, and every problem, each
 * naming its field and saying what to write instead.
 */
export function eventsFilterOf(query: (name: string) => string | undefined): {
  readonly form: EventsFilterForm
  readonly filter: AuditEventFilter
  /** The `before` query: the listing's cursor of the older page, which the listing itself checks. */
  readonly cursor: string | undefined
  readonly problems: ReadonlyArray<string>
} {
  const text = (name: string) => {
    const value = query(name)?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const form: EventsFilterForm = Object.fromEntries(
    (['type', 'pipeline', 'severity', 'since', 'until'] as const)
      .map((name) => [name, text(name)] as const)
      .filter(([, value]) => value !== undefined),
  )
  const problems: Array<string> = []
  const filter: { -readonly [K in keyof AuditEventFilter]: AuditEventFilter[K] } = {}
  if (form.type !== undefined) {
    if (EVENT_TYPE.test(form.type)) filter.types = [form.type]
    else problems.push(`type: "${form.type}" is not an event name; write it in capitals, e.g. JOB_FAILED.`)
  }
  if (form.pipeline !== undefined) {
    const id = decodeInputEither(PipelineId, 'query', form.pipeline, 'pipeline')
    if (Either.isRight(id)) filter.pipelineId = id.right
    else problems.push(problemsOf(id.left))
  }
  if (form.severity !== undefined) {
    if ((SEVERITIES as ReadonlyArray<string>).includes(form.severity))
      filter.severity = form.severity as Severity
    else problems.push(`severity: "${form.severity}" is not a severity; use one of ${SEVERITIES.join(', ')}.`)
  }
  for (const name of ['since', 'until'] as const) {
    const value = form[name]
    if (value === undefined) continue
    const at = Date.parse(value)
    if (Number.isNaN(at))
      problems.push(`${name}: "${value}" is not a timestamp; write e.g. 2026-03-01T06:00Z.`)
    else filter[name] = instantOf(at)
  }
  return { form, filter, cursor: text('before'), problems }
}

/** The problem shown for a `before` the events listing did not give out. */
export const UNKNOWN_BEFORE = 'before: not a position this page gave; follow its "older events" link.'
