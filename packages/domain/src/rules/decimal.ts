/**
 * The one numeric-string grammar of R6: optional sign, digits with an optional fraction (or a fraction
 * alone), optional exponent. No whitespace, hex, `_`, `inf` or `NaN`.
 */
const DECIMAL = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/

/** The number a strict decimal string denotes, or undefined when the text is not one (or overflows). */
export const parseDecimal = (text: string): number | undefined => {
  if (!DECIMAL.test(text)) return undefined
  const value = Number(text)
  return Number.isFinite(value) ? value : undefined
}

/** A JSON number, or a string in the strict decimal grammar, as a number; anything else is undefined. */
export const toNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value
  if (typeof value === 'string') return parseDecimal(value)
  return undefined
}
