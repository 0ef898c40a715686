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
): Either.Either<A, ReadonlyArray<FieldProblem>> {
  return Either.mapLeft(Schema.decodeUnknownEither(schema, OPTIONS)(input), (error) =>
    configIssuesFromParseError(error).map((issue) => ({
      in: location,
      path: issue.path,
      message: issue.message,
    })),
  )
}

/** Like decodeInputEither, failing the request with InvalidRequest (400) on any problem. */
export function decodeInput<A, I>(
  schema: Schema.Schema<A, I, never>,
  location: FieldLocation,
  input: unknown,
): A {
  const decoded = decodeInputEither(schema, location, input)
  if (Either.isLeft(decoded)) throw new InvalidRequest({ problems: decoded.left })
  return decoded.right
}
