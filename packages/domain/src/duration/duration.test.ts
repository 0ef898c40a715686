import { Either, Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import { DurationFromString, formatDuration, parseDuration } from './duration.ts'

describe('parseDuration', () => {
  it('keeps the text as written and the length in milliseconds', () => {
    expect(parseDuration('1h30m')).toEqual(Either.right({ text: '1h30m', millis: 5_400_000 }))
  })

  it('keeps sub-millisecond parts as a fraction of a millisecond', () => {
    expect(parseDuration('1500us')).toEqual(Either.right({ text: '1500us', millis: 1.5 }))
  })

  it('fails with a message that quotes the text and shows valid forms', () => {
    const error = Either.getLeft(parseDuration('2 hours'))
    expect(error._tag === 'Some' && error.value.message).toBe(
      '"2 hours" is not a duration: unknown unit " hours"; use ns, us, ms, s, m or h (examples: 500ms, 90s, 5m, 1h30m)',
    )
  })

  it('renders the Go canonical form', () => {
    expect(formatDuration(Either.getOrThrow(parseDuration('120m')))).toBe('2h0m0s')
  })
})

describe('DurationFromString', () => {
  it('encodes back to the text the user wrote', () => {
    const decoded = Schema.decodeUnknownSync(DurationFromString)('90s')
    expect(Schema.encodeSync(DurationFromString)(decoded)).toBe('90s')
  })
})
