import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { allows, type Scope } from '../auth/scope.ts'
import type { Authenticator } from '../auth/token-authenticator.ts'
import { MissingScope, RateLimited, Unauthenticated } from '../http/http-errors.ts'
import type { RateLimiter } from './rate-limiter.ts'

export interface BearerAuthOptions {
  readonly authenticator: Authenticator
  readonly limiter: RateLimiter
  readonly scope: Scope
  readonly now?: () => number
}

const BEARER = /^Bearer ([\x21-\x7e]+)$/

/**
 * Requires a bearer token holding `scope` (401 without a valid token, 403 without the scope), then
 * spends one request of that token's rate (429 with Retry-After when it is used up).
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<AppEnv> {
  const now = options.now ?? Date.now
  return async function bearerAuth(c, next) {
    const header = c.req.header('authorization')
    if (header === undefined || header.trim() === '') throw new Unauthenticated({ reason: 'missing' })
    const match = BEARER.exec(header.trim())
    if (match === null) throw new Unauthenticated({ reason: 'malformed' })
    const result = await options.authenticator.authenticate(match[1]!)
    if (result._tag === 'Unknown') throw new Unauthenticated({ reason: 'unknown' })
    if (result._tag === 'Revoked') throw new Unauthenticated({ reason: 'revoked' })
    const { principal } = result
    if (!allows(principal.scopes, options.scope)) {
      throw new MissingScope({ required: options.scope, held: principal.scopes })
    }
    const decision = options.limiter.take(principal.tokenId, now())
    if (!decision.allowed) {
      throw new RateLimited({
        perSecond: options.limiter.perSecond,
        retryAfterSeconds: decision.retryAfterSeconds,
      })
    }
    c.set('principal', principal)
    c.set('log', c.var.log.with({ tokenId: principal.tokenId }))
    await next()
  }
}
