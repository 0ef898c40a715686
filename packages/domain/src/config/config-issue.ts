import { ParseResult, Schema } from 'effect'
import { nearestKey } from './nearest-key.ts'

/** One problem with a config: where (`job.config.jobName`, `validation.rules[1].check`) and what to do. */
export const ConfigIssue = Schema.Struct({
  path: Schema.String,
  message: Schema.String,
}).annotations({ identifier: 'ConfigIssue' })
export type ConfigIssue = typeof ConfigIssue.Type

/** `['validation', 'rules', 1, 'check']` → `validation.rules[1].check`. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`
    const name = String(segment)
    return text === '' ? name : `${text}.${name}`
  }, '')

const QUOTED = /"((?:[^"\\]|\\.)*)"/g
const EXPECTED = /^Expected (.+), actual (.+)$/s
const KINDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
}

const quotedList = (text: string): ReadonlyArray<string> =>
  [...text.matchAll(QUOTED)].map((match) => JSON.parse(`"${match[1] ?? ''}"`) as string)

const typeMessage = (message: string): string => {
  const match = EXPECTED.exec(message)
  if (match === null) return message
  const expected = match[1] ?? ''
  const actual = match[2] ?? ''
  const kind = KINDS[expected]
  if (kind !== undefined) return `must be ${kind}, got ${actual}`
  if (expected.startsWith('"')) {
    const options = quotedList(expected)
    return options.length === 1
      ? `must be ${JSON.stringify(options[0])}, got ${actual}`
      : `must be one of ${options.map((option) => JSON.stringify(option)).join(', ')}; got ${actual}`
  }
  if (expected.startsWith('{') || expected.startsWith('Record') || expected.endsWith('Config')) {
    return `must be a mapping of keys to values, got ${actual}`
  }
  if (expected.startsWith('ReadonlyArray') || expected.startsWith('readonly ['))
    return `must be a list, got ${actual}`
  return `must be ${expected}, got ${actual}`
}

const unexpectedMessage = (path: ReadonlyArray<PropertyKey>, message: string): string => {
  const key = String(path[path.length - 1])
  const known = quotedList(message.replace(/^is unexpected, expected: /, ''))
  const suggestion = nearestKey(key, known)
  return suggestion !== undefined
    ? `unknown key "${key}"; did you mean "${suggestion}"?`
    : `unknown key "${key}"; known keys here: ${known.join(', ')}`
}

/** Effect's text for a missing key without a `missingMessage` of its own. */
const DEFAULT_MISSING_MESSAGE = 'is missing'

/** Turns a decode failure into every problem it holds, one per path and message, in words a person can act on. */
export const configIssuesFromParseError = (error: ParseResult.ParseError): ReadonlyArray<ConfigIssue> => {
  const seen = new Set<string>()
  const issues: Array<ConfigIssue> = []
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    // An optional key with a default is a union with undefined; its "Expected undefined" echo is noise.
    if (issue.message.startsWith('Expected undefined, actual ')) continue
    const path = formatPath(issue.path)
    const last = issue.path[issue.path.length - 1]
    const message =
      issue._tag === 'Unexpected'
        ? unexpectedMessage(issue.path, issue.message)
        : issue._tag === 'Missing'
          ? issue.message === DEFAULT_MISSING_MESSAGE
            ? `${String(last ?? 'value')} is required`
            : issue.message
          : typeMessage(issue.message)
    const id = `${path}\u0000${message}`
    if (!seen.has(id)) {
      seen.add(id)
      issues.push({ path, message })
    }
  }
  return issues
}
