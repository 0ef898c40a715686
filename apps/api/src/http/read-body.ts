import { mayHoldUnstorableText, unstorableText } from '@interlock/domain'
import type { Context } from 'hono'
import { InvalidRequest, JsonTooDeep, MalformedJson, UnsupportedMediaType } from './http-errors.ts'

const JSON_TYPES = ['application/json']

function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
}

/** The request's media type if it is one of `accepted` (`+json` types count as JSON), else 415. */
export function requireMediaType(c: Context, accepted: ReadonlyArray<string>): string {
  const type = mediaType(c)
  const json = accepted.includes('application/json') && type.endsWith('+json')
  if (!accepted.includes(type) && !json) {
    throw new UnsupportedMediaType({ contentType: c.req.header('content-type') ?? '', accepted })
  }
  return type
}

/**
 * The deepest nesting of arrays and objects in a JSON text, counted without parsing it, so a hostile
 * body of a million brackets is refused before `JSON.parse` builds anything. Stops counting past `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (inString) {
      if (code === 92) index++
      else if (code === 34) inString = false
    } else if (code === 34) inString = true
    else if (code === 123 || code === 91) {
      if (++depth > limit) return true
    } else if (code === 125 || code === 93) depth--
  }
  return false
}

/**
 * Parses a JSON text within the depth limit, or fails with the reason. A string or key the log cannot
 * store (a NUL, a lone surrogate) is refused naming where it is (400), unless `unstorableText: 'allow'`:
 * a caller that judges the parts of a body one by one (a batch) refuses it part by part.
 */
export function parseJson(
  text: string,
  maxDepth: number,
  options: { readonly unstorableText?: 'refuse' | 'allow' } = {},
): unknown {
  if (text.trim() === '') throw new MalformedJson({ reason: 'the body is empty' })
  if (jsonDepthExceeds(text, maxDepth)) throw new JsonTooDeep({ maxDepth })
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new MalformedJson({ reason: (error as SyntaxError).message })
  }
  if (options.unstorableText !== 'allow' && mayHoldUnstorableText(text)) {
    const unstorable = unstorableText(value)
    if (unstorable !== undefined) throw new InvalidRequest({ problems: [{ in: 'body', ...unstorable }] })
  }
  return value
}

/**
 * The request body as JSON, with its text: Content-Type must be JSON, the text well formed and not
 * nested too deep.
 */
export async function readJsonBody(
  c: Context,
  maxDepth: number,
  options: { readonly unstorableText?: 'refuse' | 'allow' } = {},
): Promise<{ readonly text: string; readonly value: unknown }> {
  requireMediaType(c, JSON_TYPES)
  const text = await c.req.text()
  return { text, value: parseJson(text, maxDepth, options) }
}
