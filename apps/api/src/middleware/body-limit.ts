import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'

/**
 * Refuses a body over `maxSize` bytes by calling `tooLarge` (which throws). A body with a Content-Length
 * is judged by the header alone: Node's parser never delivers more than it announces, and leaving the
 * request untouched keeps the server's direct body read (Hono's own limit materialises a web Request
 * and its stream for every request). A chunked body is counted as it streams in, by Hono's limit.
 */
export function limitBody(maxSize: number, tooLarge: () => never): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize, onError: tooLarge })
  return async (c, next) => {
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > maxSize) tooLarge()
      await next()
      return
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') {
      await next()
      return
    }
    return streamed(c, next)
  }
}
