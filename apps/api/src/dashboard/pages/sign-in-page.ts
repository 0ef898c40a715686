import { html } from 'hono/html'
import { type Html, layout } from './layout.ts'

/** The sign-in form: a token (never in the URL), posted with the sign-in CSRF value. */
export function signInPage(view: {
  readonly csrf: string
  /** Why the visitor is here: not signed in, a token refused, a session that ended. */
  readonly message: string
  /** A local path to return to after signing in. */
  readonly next: string
}): Html {
  const body = html`<section class="sign-in">
<h1>Sign in</h1>
<p class="notice notice-refused" role="alert" data-testid="sign-in-message">${view.message}</p>
<form method="post" action="/sign-in">
  <input type="hidden" name="csrf" value="${view.csrf}">
  <input type="hidden" name="next" value="${view.next}">
  <label for="token">API token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required spellcheck="false">
  <button type="submit">Sign in</button>
</form>
<p class="hint">Create a token with <code>interlock token create --name you --scope read</code> (add <code>admin</code> to redrive dead letters). It is kept in an HttpOnly cookie for this site only.</p>
</section>`
  return layout({ title: 'Sign in', section: 'none', body })
}

/** A page that only says something went wrong (403, 404, a refused form), with a way back. */
export function messagePage(view: {
  readonly title: string
  readonly message: string
  readonly csrf?: string
}): Html {
  const body = html`<section class="message"><h1>${view.title}</h1><p>${view.message}</p><p><a href="/">Back to the board</a></p></section>`
  return layout({
    title: view.title,
    section: 'none',
    body,
    ...(view.csrf === undefined ? {} : { csrf: view.csrf }),
  })
}
