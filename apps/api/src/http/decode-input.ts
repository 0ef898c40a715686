import { configIssuesFromParseError } from '@interlock/domain'
import { Either, Schema } from 'effect'
import { type FieldLocation, type FieldProblem, InvalidRequest } from './http-errors.ts'

const OPTIONS = { errors: 'all', onExcessProperty: 'error' } as const

/**
 * Decodes a request value with its Schema, keeping every problem with its path (STYLE rule 17), in the
 * same words pipeline configs use (`must be a string, got 5`, `unknown key "x"; did you mean "y"?`).
 */
export function decodeInputEither<A, I>(
  schema: Schema.Schema<A, I, never>,
  location: FieldLocation,
  input: unknown,
  /** Where `input` sits: `Idempotency-Key` for a header, `readings[3]` for an item of a batch. */
  at = '',
): Either.Either<A, ReadonlyArray<FieldProblem>> {
  return Either.mapLeft(Schema.decodeUnknownEither(schema, OPTIONS)(input), (error) =>
    mergeLiteralChoices(configIssuesFromParseError(error)).map((issue) => ({
      in: location,
      path: at === '' ? issue.path : issue.path === '' ? at : `${at}.${issue.path}`,
      message: issue.message,
    })),
  )
}

const ONE_LITERAL = /^must be ("(?:[^"\\]|\\.)*"), got (.*)$/s

/**
 * A union of literals fails once per member (`must be "success", got "done"`, `must be "failed", …`);
 * one field gets one problem: `must be one of "success", "failed"; got "done"`.
 */
function mergeLiteralChoices(
  issues: ReadonlyArray<{ readonly path: string; readonly message: string }>,
): ReadonlyArray<{ readonly path: string; readonly message: string }> {
  const merged: Array<{ path: string; message: string; choices?: string[]; actual?: string }> = []
  for (const issue of issues) {
    const match = ONE_LITERAL.exec(issue.message)
    const previous = merged[merged.length - 1]
    if (
      match !== null &&
      previous?.choices !== undefined &&
      previous.path === issue.path &&
      previous.actual === match[2]
    ) {
      previous.choices.push(match[1]!)
      previous.message = `must be one of ${previous.choices.join(', ')}; got ${match[2]}`
    } else if (match !== null) merged.push({ ...issue, choices: [match[1]!], actual: match[2]! })
    else merged.push({ ...issue })
  }
  return merged.map(({ path, message }) => ({ path, message }))
}

/** Like decodeInputEither, failing the request with InvalidRequest (400) on any problem. */
export function decodeInput<A, I>(
  schema: Schema.Schema<A, I, never>,
  location: FieldLocation,
  input: unknown,
  at = '',
): A {
  const decoded = decodeInputEither(schema, location, input, at)
  if (Either.isLeft(decoded)) throw new InvalidRequest({ problems: decoded.left })
  return decoded.right
}
