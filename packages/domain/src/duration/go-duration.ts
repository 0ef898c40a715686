import { Either } from 'effect'

/**
 * Go's `time.ParseDuration` and `Duration.String`, exactly (spec Appendix A.1), on integer nanoseconds.
 * `bigint` keeps every value Go accepts exact, up to ±2^63 ns (about 292 years).
 */

const NANOSECOND = 1n
const MICROSECOND = 1_000n * NANOSECOND
const MILLISECOND = 1_000n * MICROSECOND
const SECOND = 1_000n * MILLISECOND
const MINUTE = 60n * SECOND
const HOUR = 60n * MINUTE
const MAX_MAGNITUDE = 1n << 63n

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', NANOSECOND],
  ['us', MICROSECOND],
  ['\u00b5s', MICROSECOND],
  ['\u03bcs', MICROSECOND],
  ['ms', MILLISECOND],
  ['s', SECOND],
  ['m', MINUTE],
  ['h', HOUR],
])

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

/**
 * Parses a Go duration string (`500ms`, `90s`, `1h30m`, `-1.5h`) into nanoseconds; the failure is a short
 * reason naming what is wrong with the text.
 */
export const parseGoDuration = (text: string): Either.Either<bigint, string> => {
  let rest = text
  let negative = false
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-')
    rest = rest.slice(1)
  }
  if (rest === '0') return Either.right(0n)
  if (rest === '') return Either.left('a duration needs a number and a unit, such as 90s or 1h30m')
  let total = 0n
  while (rest !== '') {
    const first = rest[0]
    if (!(first === '.' || isDigit(first))) {
      return Either.left(`"${rest}" does not start with a number`)
    }
    let i = 0
    while (isDigit(rest[i])) i++
    const whole = rest.slice(0, i)
    let fraction = ''
    if (rest[i] === '.') {
      i++
      const start = i
      while (isDigit(rest[i])) i++
      fraction = rest.slice(start, i)
    }
    if (whole === '' && fraction === '') return Either.left('a "." needs digits before or after it')
    const unitStart = i
    while (i < rest.length && rest[i] !== '.' && !isDigit(rest[i])) i++
    const unitText = rest.slice(unitStart, i)
    if (unitText === '') {
      return Either.left(`missing unit after ${rest.slice(0, unitStart)}; use ns, us, ms, s, m or h`)
    }
    const unit = UNITS.get(unitText)
    if (unit === undefined) {
      return Either.left(`unknown unit "${unitText}"; use ns, us, ms, s, m or h`)
    }
    const wholePart = whole === '' ? 0n : BigInt(whole) * unit
    const fractionPart = fraction === '' ? 0n : (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length)
    total += wholePart + fractionPart
    if (total > MAX_MAGNITUDE) return Either.left('the duration is too large')
    rest = rest.slice(i)
  }
  if (!negative && total === MAX_MAGNITUDE) return Either.left('the duration is too large')
  return Either.right(negative ? -total : total)
}

/** Writes `value` with `precision` decimal places of fraction, trailing zeros (and a bare point) dropped. */
const fraction = (value: bigint, precision: number): { readonly text: string; readonly rest: bigint } => {
  const scale = 10n ** BigInt(precision)
  const digits = (value % scale).toString().padStart(precision, '0').replace(/0+$/, '')
  return { text: digits === '' ? '' : `.${digits}`, rest: value / scale }
}

/** Go's `Duration.String()`: `0s`, `1.5ms`, `1m30s`, `2h0m0s`, `-1h30m0s`. */
export const formatGoDuration = (nanos: bigint): string => {
  if (nanos === 0n) return '0s'
  const sign = nanos < 0n ? '-' : ''
  const magnitude = nanos < 0n ? -nanos : nanos
  if (magnitude < SECOND) {
    const [precision, unit] =
      magnitude < MICROSECOND ? [0, 'ns'] : magnitude < MILLISECOND ? [3, '\u00b5s'] : [6, 'ms']
    const { text, rest } = fraction(magnitude, precision)
    return `${sign}${rest}${text}${unit}`
  }
  const seconds = fraction(magnitude, 9)
  let out = `${seconds.rest % 60n}${seconds.text}s`
  const minutes = seconds.rest / 60n
  if (minutes > 0n) {
    out = `${minutes % 60n}m${out}`
    const hours = minutes / 60n
    if (hours > 0n) out = `${hours}h${out}`
  }
  return `${sign}${out}`
}

/** Nanoseconds → milliseconds as a JS number (sub-millisecond parts kept as a fraction). */
export const nanosToMillis = (nanos: bigint): number =>
  Number(nanos / MILLISECOND) + Number(nanos % MILLISECOND) / 1e6
