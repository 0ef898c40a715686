import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../app-env.ts'
import { allows, type Scope } from '../auth/scope.ts'
import type { Authenticator, Principal } from '../auth/token-authenticator.ts'

/** The cookie holding the API token of a signed-in browser: HttpOnly, SameSite=Strict, Secure on https. */
export const SESSION_COOKIE = 'interlock_session'
/** A random value the sign-in form repeats (double submit): the form cannot be posted from another site. */
export const SIGN_IN_CSRF_COOKIE = 'interlock_sign_in'
/** The form field every dashboard form carries its CSRF token in. */
export const CSRF_FIELD = 'csrf'

/** How long a browser stays signed in: a working day; the token itself may be revoked sooner. */
const SESSION_SECONDS = 12 * 60 * 60
const SIGN_IN_SECONDS = 10 * 60

/** The signed-in browser: who it is, and the CSRF token its forms must carry. */
export interface DashboardSession {
  readonly principal: Principal
  readonly csrf: string
}

/**
 * The CSRF token of a session: an HMAC keyed by the session's own token, so it is stable for the session,
 * different for every token, needs no server state (API instances are stateless), and cannot be computed
 * by anyone who does not hold the token.
 */
export function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update('interlock-dashboard-csrf').digest('base64url')
}

/** Constant-time comparison of two CSRF tokens (unequal lengths are simply unequal). */
export function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

const secureRequest = (c: Context): boolean =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'

const cookieOptions = (c: Context, maxAge: number) =>
  ({
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: secureRequest(c),
    maxAge,
  }) as const

/** Stores the token in the session cookie. */
export function startSession(c: Context, token: string): void {
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c, SESSION_SECONDS))
  deleteCookie(c, SIGN_IN_CSRF_COOKIE, { path: '/' })
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureRequest(c) })
}

/** The sign-in form's CSRF value: the one already set, or a fresh one set now. */
export function signInCsrf(c: Context): string {
  const existing = getCookie(c, SIGN_IN_CSRF_COOKIE)
  if (existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing
  const value = randomBytes(32).toString('base64url')
  setCookie(c, SIGN_IN_CSRF_COOKIE, value, cookieOptions(c, SIGN_IN_SECONDS))
  return value
}

/** Whether a posted sign-in form repeats the value of its cookie. */
export function signInCsrfMatches(c: Context, posted: string | undefined): boolean {
  const expected = getCookie(c, SIGN_IN_CSRF_COOKIE)
  return expected !== undefined && sameToken(posted, expected)
}

/** Why a browser is not let in: never signed in (or a token no longer valid), or a token without the scope. */
export type SessionRefusal =
  | { readonly _tag: 'SignedOut'; readonly reason: 'missing' | 'unknown' | 'revoked' }
  | { readonly _tag: 'MissingScope'; readonly required: Scope }

/** The session of a request, or why there is none. */
export async function sessionOf(
  c: Context,
  authenticator: Authenticator,
  scope: Scope,
): Promise<DashboardSession | SessionRefusal> {
  const token = getCookie(c, SESSION_COOKIE)
  if (token === undefined || token === '') return { _tag: 'SignedOut', reason: 'missing' }
  const result = await authenticator.authenticate(token)
  if (result._tag === 'Unknown') return { _tag: 'SignedOut', reason: 'unknown' }
  if (result._tag === 'Revoked') return { _tag: 'SignedOut', reason: 'revoked' }
  if (!allows(result.principal.scopes, scope)) return { _tag: 'MissingScope', required: scope }
  return { principal: result.principal, csrf: csrfTokenOf(token) }
}

/** Dashboard pages read `session` from the context; set by `dashboardSession`. */
export interface DashboardEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { session: DashboardSession }
}

/**
 * Requires a signed-in browser whose token holds `scope`; otherwise answers with `refuse` (the sign-in
 * page with 401, or a 403 page). On a POST, the form's CSRF token must match the session's (403 if not).
 */
export function dashboardSession(options: {
  readonly authenticator: Authenticator
  readonly scope: Scope
  readonly refuse: (
    c: Context<DashboardEnv>,
    refusal: SessionRefusal | { readonly _tag: 'BadCsrf' },
  ) => Response | Promise<Response>
}): MiddlewareHandler<DashboardEnv> {
  return async function dashboardSession(c, next) {
    const session = await sessionOf(c, options.authenticator, options.scope)
    if (!('principal' in session)) return options.refuse(c, session)
    if (c.req.method === 'POST') {
      const form = await c.req.parseBody()
      const posted = typeof form[CSRF_FIELD] === 'string' ? form[CSRF_FIELD] : undefined
      if (!sameToken(posted, session.csrf)) return options.refuse(c, { _tag: 'BadCsrf' })
    }
    c.set('session', session)
    c.set('principal', session.principal)
    c.set('log', c.var.log.with({ tokenId: session.principal.tokenId }))
    await next()
  }
}
