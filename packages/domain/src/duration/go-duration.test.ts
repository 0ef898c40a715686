import { Either } from 'effect'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatGoDuration, parseGoDuration } from './go-duration.ts'

const NS_PER_SECOND = 1_000_000_000n
const parsed = (text: string) => Either.getOrThrow(parseGoDuration(text))

describe('parseGoDuration (spec Appendix A.1)', () => {
  it.each([
    ['1h30m', 5_400n * NS_PER_SECOND],
    ['1.5h', 5_400n * NS_PER_SECOND],
    ['90m', 5_400n * NS_PER_SECOND],
    ['90s', 90n * NS_PER_SECOND],
    ['300ms', 300_000_000n],
    ['2h45m30.5s', 9_930_500_000_000n],
    ['10us', 10_000n],
    ['10\u00b5s', 10_000n],
    ['10\u03bcs', 10_000n],
    ['1ns', 1n],
    ['-1h', -3_600n * NS_PER_SECOND],
    ['+5m', 300n * NS_PER_SECOND],
    ['0', 0n],
    ['+0', 0n],
    ['-0', 0n],
    ['1h1h', 7_200n * NS_PER_SECOND],
    ['1m1h', 3_660n * NS_PER_SECOND],
    ['01h', 3_600n * NS_PER_SECOND],
    ['.5s', 500_000_000n],
    ['1.s', NS_PER_SECOND],
  ])('accepts %s', (text, nanos) => {
    expect(parsed(text)).toBe(nanos)
  })

  it.each(['', '5', '0.0', '1d', '1H', '1h 30m', ' 1h', '1h-5m', '.s', '1e3s', 'h', '-', '2562048h'])(
    'rejects %j',
    (text) => {
      expect(Either.isLeft(parseGoDuration(text))).toBe(true)
    },
  )

  it('names the unknown unit and lists the valid ones', () => {
    expect(parseGoDuration('1d')).toEqual(Either.left('unknown unit "d"; use ns, us, ms, s, m or h'))
  })

  it('names the number that lacks a unit', () => {
    expect(parseGoDuration('5')).toEqual(Either.left('missing unit after 5; use ns, us, ms, s, m or h'))
  })
})

describe('formatGoDuration (Go Duration.String)', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1_500n, '1.5\u00b5s'],
    [1_500_000n, '1.5ms'],
    [1_500_000_000n, '1.5s'],
    [90n * NS_PER_SECOND, '1m30s'],
    [7_200n * NS_PER_SECOND, '2h0m0s'],
    [5_400n * NS_PER_SECOND, '1h30m0s'],
    [90_000n * NS_PER_SECOND + 1n, '25h0m0.000000001s'],
    [-5_400n * NS_PER_SECOND, '-1h30m0s'],
  ])('renders %s ns as %s', (nanos, text) => {
    expect(formatGoDuration(nanos)).toBe(text)
  })
})

describe('duration properties', () => {
  it('never throws: any string parses or yields a non-empty reason', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parseGoDuration(text)
        if (Either.isLeft(result)) expect(result.left.length).toBeGreaterThan(0)
      }),
    )
  })

  it('never throws on strings built from the duration alphabet', () => {
    const alphabet = fc.constantFrom('0', '1', '5', '9', '.', 'h', 'm', 's', 'n', 'u', '\u00b5', '+', '-')
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), (chars) => {
        const result = parseGoDuration(chars.join(''))
        if (Either.isLeft(result)) expect(result.left.length).toBeGreaterThan(0)
      }),
    )
  })

  it('reads back what it writes: parse(format(d)) = d', () => {
    const limit = 1n << 62n
    fc.assert(
      fc.property(fc.bigInt({ min: -limit, max: limit }), (nanos) => {
        expect(parsed(formatGoDuration(nanos))).toBe(nanos)
      }),
    )
  })
})
