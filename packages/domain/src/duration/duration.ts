import { Either, ParseResult, Schema } from 'effect'
import { formatGoDuration, nanosToMillis, parseGoDuration } from './go-duration.ts'

/**
 * A configured duration as the decoded config carries it: `millis` for arithmetic on instants (a JS number;
 * sub-millisecond parts stay as a fraction) and `text`, the string as the user wrote it, so the config
 * encodes back byte-for-byte and messages can quote it.
 */
export const Duration = Schema.Struct({
  text: Schema.String,
  millis: Schema.Number,
}).annotations({ identifier: 'Duration' })
export type Duration = typeof Duration.Type

/** A Go duration string that could not be parsed; the message quotes it and shows valid forms. */
export class InvalidDuration extends Schema.TaggedError<InvalidDuration>()('InvalidDuration', {
  text: Schema.String,
  reason: Schema.String,
}) {
  override get message(): string {
    return `"${this.text}" is not a duration: ${this.reason} (examples: 500ms, 90s, 5m, 1h30m)`
  }
}

/** Parses a Go-style duration (`500ms`, `90s`, `1h30m`, spec Appendix A.1) exactly. */
export const parseDuration = (text: string): Either.Either<Duration, InvalidDuration> =>
  Either.match(parseGoDuration(text), {
    onLeft: (reason) => Either.left(new InvalidDuration({ text, reason })),
    onRight: (nanos) => Either.right({ text, millis: nanosToMillis(nanos) }),
  })

/** Exact nanoseconds of a parsed duration (its text is re-read, so no precision is lost). */
export const durationNanos = (duration: Duration): bigint =>
  Either.getOrElse(parseGoDuration(duration.text), () => BigInt(Math.trunc(duration.millis * 1e6)))

/** Go's canonical rendering of a duration (`2h0m0s`, `1m30s`, `1.5ms`). */
export const formatDuration = (duration: Duration): string => formatGoDuration(durationNanos(duration))

/** A duration that is the given number of milliseconds, written the Go way. */
export const durationFromMillis = (millis: number): Duration => ({
  text: formatGoDuration(BigInt(Math.round(millis * 1e6))),
  millis,
})

/**
 * The config-file form: a Go duration string decoded to {@link Duration} and encoded back to its text.
 * In JSON Schema it is a string with the duration grammar as pattern.
 */
export const DurationFromString = Schema.transformOrFail(Schema.String, Duration, {
  strict: true,
  decode: (text, _options, ast) =>
    Either.match(parseDuration(text), {
      onLeft: (error) => ParseResult.fail(new ParseResult.Type(ast, text, error.message)),
      onRight: (duration) => ParseResult.succeed(duration),
    }),
  encode: (duration) => ParseResult.succeed(duration.text),
}).annotations({
  identifier: 'DurationString',
  description: 'A Go duration: a number and a unit (ns, us, ms, s, m, h), repeated, e.g. 500ms, 90s, 1h30m',
  jsonSchema: {
    type: 'string',
    pattern: '^[+-]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$',
  },
})
