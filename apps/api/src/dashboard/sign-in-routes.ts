import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import type { Authenticator } from '../auth/token-authenticator.ts'
import { messagePage, signInPage } from './pages/sign-in-page.ts'
import {
  type DashboardEnv,
  endSession,
  type SessionRefusal,
  signInCsrf,
  signInCsrfMatches,
  startSession,
} from './session.ts'

/** A path to return to after signing in: local to this site only (no `//host`, no scheme). */
function localPath(path: string | undefined): string {
  return path !== undefined && /^\/(?![/\\])[^\s]*$/.test(path) ? path : '/'
}

/**
 * The answer to a browser that may not see a page: the sign-in form with 401 when it is not signed in (or
 * its token no longer works), a 403 page when its token lacks the scope or a form lacks its CSRF token.
 */
export function refusalPage(
  c: Context<DashboardEnv>,
  refusal: SessionRefusal | { readonly _tag: 'BadCsrf' },
) {
  const page = (body: ReturnType<typeof messagePage>, status: 401 | 403) => c.html(body, status)
  switch (refusal._tag) {
    case 'SignedOut': {
      const message =
        refusal.reason === 'missing'
          ? 'Sign in with an API token to see the dashboard.'
          : refusal.reason === 'revoked'
            ? 'Your token was revoked; sign in with another one.'
            : 'Your token is no longer known; sign in with another one.'
      if (refusal.reason !== 'missing') endSession(c)
      const next = c.req.method === 'GET' ? c.req.path : '/'
      return page(signInPage({ csrf: signInCsrf(c), message, next }), 401)
    }
    case 'MissingScope':
      return page(
        messagePage({
          title: 'Not allowed',
          message: `This needs a token with the ${refusal.required} scope; sign in with one that has it.`,
        }),
        403,
      )
    case 'BadCsrf':
      return page(
        messagePage({
          title: 'Form refused',
          message:
            'The form did not carry this session’s CSRF token (csrf), so it may not come from this dashboard; reload the page and send it again.',
        }),
        403,
      )
  }
}

/** Sign-in (the token goes in the session cookie, never in a URL) and sign-out. */
export function signInRoutes(deps: {
  readonly authenticator: Authenticator
  readonly signedIn: (scope: 'read' | 'admin') => MiddlewareHandler<DashboardEnv>
}) {
  const page = (c: Context, body: ReturnType<typeof signInPage>, status: 200 | 401 | 403 = 200) =>
    c.html(body, status)
  const app = new Hono<DashboardEnv>()
  app.get('/sign-in', (c) =>
    page(
      c,
      signInPage({
        csrf: signInCsrf(c),
        message: 'Sign in with an API token.',
        next: localPath(c.req.query('next')),
      }),
    ),
  )

  app.post('/sign-in', async (c) => {
    const form = await c.req.parseBody()
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined)
    const next = localPath(field('next'))
    const again = (message: string, status: 401 | 403) =>
      page(c, signInPage({ csrf: signInCsrf(c), message, next }), status)
    if (!signInCsrfMatches(c, field('csrf'))) {
      return again('The sign-in form expired or came from another site (csrf); enter the token again.', 403)
    }
    const token = field('token')?.trim() ?? ''
    if (token === '') return again('token: enter an API token.', 401)
    const result = await deps.authenticator.authenticate(token)
    if (result._tag !== 'Authenticated') {
      c.var.log.info({ reason: result._tag }, 'dashboard sign-in refused')
      return again(
        result._tag === 'Revoked'
          ? 'token: that token was revoked; use another one.'
          : 'token: that token is not known here; check it, or create one with interlock token create.',
        401,
      )
    }
    const scopes = result.principal.scopes
    if (!scopes.includes('read') && !scopes.includes('admin')) {
      return again('token: that token has no read scope; the dashboard needs read (or admin).', 403)
    }
    startSession(c, token)
    c.var.log.info({ tokenId: result.principal.tokenId }, 'dashboard signed in')
    return c.redirect(next, 303)
  })

  app.post('/sign-out', deps.signedIn('read'), (c) => {
    endSession(c)
    return c.redirect('/sign-in', 303)
  })

  return app
}
