import type { Context } from 'hono'

/** Read models carry bigint ids and Dates; JSON gets them as strings. */
function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}

/** Answers `value` as JSON, with bigints as decimal strings. */
export function jsonAnswer(c: Context, value: unknown, status = 200): Response {
  return c.body(JSON.stringify(value, replacer), status as 200, { 'Content-Type': 'application/json' })
}
