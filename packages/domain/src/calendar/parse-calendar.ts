import { Either, Schema } from 'effect'
import { parseDocument } from 'yaml'
import { type ConfigIssue, configIssuesFromParseError } from '../config/config-issue.ts'
import { unstorableText } from '../shared/unstorable-text.ts'
import { Calendar } from './calendar.ts'

const decode = Schema.decodeUnknownEither(Calendar, { errors: 'all', onExcessProperty: 'error' })

/** Reads a calendar from YAML or JSON text (or a parsed value), every problem at once (spec §1.10, C6). */
export const parseCalendar = (input: unknown): Either.Either<Calendar, ReadonlyArray<ConfigIssue>> => {
  let value = input
  if (typeof input === 'string') {
    const document = parseDocument(input, { schema: 'core', uniqueKeys: true })
    if (document.errors.length > 0) {
      return Either.left(
        document.errors.map((error) => ({
          path: '',
          message: `parsing YAML: ${error.message.split('\n')[0]} — fix the YAML syntax`,
        })),
      )
    }
    try {
      value = document.toJS({ maxAliasCount: 100 })
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
      return Either.left([{ path: '', message: `${reason} — fix the YAML anchors and aliases` }])
    }
  }
  const unstorable = unstorableText(value)
  if (unstorable !== undefined) return Either.left([unstorable])
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return Either.left([{ path: '', message: 'a calendar must be a mapping with name, days and dates' }])
  }
  if (!('name' in value) || value.name === '' || value.name === undefined) {
    return Either.left([{ path: 'name', message: 'the calendar has no name; add name: <calendar-name>' }])
  }
  return Either.mapLeft(decode(value), configIssuesFromParseError)
}
