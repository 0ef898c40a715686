import type { Queryable } from '@interlock/eventstore'
import { findToken, tokenSha256 } from './api-token.ts'
import type { Scope } from './scope.ts'

/** Who is calling: the token's id (recorded as the actor of every command) and what it may do. */
export interface Principal {
  readonly tokenId: string
  readonly scopes: ReadonlyArray<Scope>
}

export type Authentication =
  | { readonly _tag: 'Authenticated'; readonly principal: Principal }
  | { readonly _tag: 'Unknown' }
  | { readonly _tag: 'Revoked' }

export interface Authenticator {
  authenticate(token: string): Promise<Authentication>
}

/** Beyond this many cached tokens the cache starts over: it is a shortcut, never a store. */
const MAX_CACHED_TOKENS = 10_000

/**
 * Checks bearer tokens against api_tokens. A valid token is trusted for `cacheMs` without asking the
 * database again, so a revocation takes effect within that time on every instance.
 */
export function databaseAuthenticator(
  db: Queryable,
  options: { readonly cacheMs: number; readonly now?: () => number },
): Authenticator {
  const now = options.now ?? Date.now
  const cache = new Map<string, { principal: Principal; until: number }>()
  // Requests that arrive together with the same token share one lookup.
  const lookups = new Map<string, ReturnType<typeof findToken>>()
  return {
    async authenticate(token) {
      const key = tokenSha256(token).toString('base64')
      const cached = cache.get(key)
      if (cached !== undefined && cached.until > now())
        return { _tag: 'Authenticated', principal: cached.principal }
      let lookup = lookups.get(key)
      if (lookup === undefined) {
        lookup = findToken(db, token).finally(() => lookups.delete(key))
        lookups.set(key, lookup)
      }
      const found = await lookup
      if (found === undefined) return { _tag: 'Unknown' }
      if (found.revokedAt !== null) {
        cache.delete(key)
        return { _tag: 'Revoked' }
      }
      const principal = { tokenId: found.id, scopes: found.scopes }
      if (options.cacheMs > 0) {
        if (cache.size >= MAX_CACHED_TOKENS) cache.clear()
        cache.set(key, { principal, until: now() + options.cacheMs })
      }
      return { _tag: 'Authenticated', principal }
    },
  }
}
