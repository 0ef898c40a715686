/**
 * The log stores JSON as Postgres jsonb, which cannot hold every string JavaScript can: not the NUL
 * character (U+0000), and not a lone UTF-16 surrogate (half of a character outside the Basic
 * Multilingual Plane, as `"\ud83d"` in JSON). Input carrying one (a reading, a config, a request) would
 * fail as it is written, after everything else about it was accepted. These find it first, so it is
 * refused as bad input naming where it is.
 */

const NUL_MESSAGE =
  'holds a NUL character (\\u0000), which cannot be stored (Postgres JSON has no place for it); remove it'
const SURROGATE_MESSAGE =
  'holds half of a UTF-16 surrogate pair (a \\ud800–\\udfff escape without its partner), which cannot be stored; send the whole character'

function unstorable(text: string): boolean {
  return text.includes('\u0000') || !text.isWellFormed()
}

/** Whether any string of a JSON value (a key or a value, at any depth) cannot be stored. */
export function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return unstorable(value)
  if (typeof value !== 'object' || value === null) return false
  if (Array.isArray(value)) return value.some(holdsUnstorableText)
  for (const key in value) {
    if (unstorable(key) || holdsUnstorableText((value as Record<string, unknown>)[key])) return true
  }
  return false
}

/**
 * The first string of a JSON value that cannot be stored: where it is (`note`, `items[2].tags.a`, '' for
 * the value itself) and why; undefined when every string can be (found without building a path).
 */
export function unstorableText(
  value: unknown,
): { readonly path: string; readonly message: string } | undefined {
  return holdsUnstorableText(value) ? locate(value, '') : undefined
}

function locate(
  value: unknown,
  path: string,
): { readonly path: string; readonly message: string } | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { path, message: NUL_MESSAGE }
    return value.isWellFormed() ? undefined : { path, message: SURROGATE_MESSAGE }
  }
  if (typeof value !== 'object' || value === null) return undefined
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = locate(value[index], `${path}[${index}]`)
      if (found !== undefined) return found
    }
    return undefined
  }
  for (const key in value) {
    const at = path === '' ? key : `${path}.${key}`
    if (unstorable(key)) return locate(key, `${at} (the key)`)
    const found = locate((value as Record<string, unknown>)[key], at)
    if (found !== undefined) return found
  }
  return undefined
}

/**
 * Whether a JSON text may hold a string that cannot be stored: it can only be written as a \u0000 or a
 * \ud800–\udfff escape, so a text without one holds none and needs no walk.
 */
export function mayHoldUnstorableText(json: string): boolean {
  return /\\u(0000|[dD][89abcdefABCDEF])/.test(json)
}
