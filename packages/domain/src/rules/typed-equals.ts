import { toNumber } from './decimal.ts'

const asBoolean = (value: unknown): boolean | undefined => {
  if (typeof value === 'boolean') return value
  if (value === 'true') return true
  if (value === 'false') return false
  return undefined
}

const sameJson = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => typedEquals(item, b[index]))
  }
  if (
    typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const aKeys = Object.keys(a)
    const bRecord = b as Record<string, unknown>
    return (
      aKeys.length === Object.keys(b).length &&
      aKeys.every(
        (key) => Object.hasOwn(b, key) && typedEquals((a as Record<string, unknown>)[key], bRecord[key]),
      )
    )
  }
  return false
}

/**
 * `equals` on typed values (R6): numbers numerically (a decimal string equals its number), booleans with the
 * strings `true`/`false`, strings exactly, null only with null, lists and maps element by element.
 */
export const typedEquals = (expected: unknown, actual: unknown): boolean => {
  if (expected === null || actual === null) return expected === actual
  if (typeof expected === 'number' || typeof actual === 'number') {
    const a = toNumber(expected)
    const b = toNumber(actual)
    return a !== undefined && b !== undefined && a === b
  }
  if (typeof expected === 'boolean' || typeof actual === 'boolean') {
    const a = asBoolean(expected)
    const b = asBoolean(actual)
    return a !== undefined && a === b
  }
  if (typeof expected === 'string' && typeof actual === 'string') return expected === actual
  return sameJson(expected, actual)
}

/** A value as reasons show it: strings bare, everything else as JSON. */
export const showValue = (value: unknown): string => {
  if (typeof value === 'string') return value
  if (value === undefined) return 'nothing'
  return JSON.stringify(value) ?? String(value)
}
