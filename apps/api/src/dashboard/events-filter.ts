import { PipelineId } from '@interlock/domain'
import { Either } from 'effect'
import { decodeInputEither } from '../http/decode-input.ts'
import type { FeedFilter } from './dashboard-sql.ts'
import { type EventsFilterForm, SEVERITIES } from './pages/events-page.ts'

const EVENT_TYPE = /^[A-Z_]{1,64}$/
/** The "older events" position: the last row's instant and id. */
const BEFORE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([1-9][0-9]{0,18})$/

const problemsOf = (problems: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')

/** The "older events" position of the last row shown. */
export const olderThan = (event: { readonly occurredAt: Date; readonly id: string }): string =>
  `${event.occurredAt.toISOString()}_${event.id}`

/**
 * The events page's query as the form shows it back, the filter to read with, and every problem, each
 * naming its field and saying what to write instead.
 */
export function eventsFilterOf(query: (name: string) => string | undefined): {
  readonly form: EventsFilterForm
  readonly filter: FeedFilter
  readonly problems: ReadonlyArray<string>
  readonly paged: boolean
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
  const filter: { -readonly [K in keyof FeedFilter]: FeedFilter[K] } = {}
  if (form.type !== undefined) {
    if (EVENT_TYPE.test(form.type)) filter.type = form.type
    else problems.push(`type: "${form.type}" is not an event name; write it in capitals, e.g. JOB_FAILED.`)
  }
  if (form.pipeline !== undefined) {
    const id = decodeInputEither(PipelineId, 'query', form.pipeline, 'pipeline')
    if (Either.isRight(id)) filter.pipelineId = id.right
    else problems.push(problemsOf(id.left))
  }
  if (form.severity !== undefined) {
    if ((SEVERITIES as ReadonlyArray<string>).includes(form.severity)) filter.severity = form.severity
    else problems.push(`severity: "${form.severity}" is not a severity; use one of ${SEVERITIES.join(', ')}.`)
  }
  for (const name of ['since', 'until'] as const) {
    const value = form[name]
    if (value === undefined) continue
    const at = Date.parse(value)
    if (Number.isNaN(at))
      problems.push(`${name}: "${value}" is not a timestamp; write e.g. 2026-03-01T06:00Z.`)
    else filter[name] = new Date(at)
  }
  const before = text('before')
  if (before !== undefined) {
    const match = BEFORE.exec(before)
    if (match === null)
      problems.push('before: not a position this page gave; follow its "older events" link.')
    else filter.before = { at: new Date(match[1]!), id: match[2]! }
  }
  return { form, filter, problems, paged: before !== undefined }
}
