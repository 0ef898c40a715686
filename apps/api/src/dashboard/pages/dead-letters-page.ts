import type { DeadLetter } from '@interlock/projections'
import { html } from 'hono/html'
import { formatInstant, type Html, layout, showValue } from './layout.ts'

/** Dead letters, newest first; each open one with a redrive form (the POST needs an admin token). */
export function deadLettersPage(view: {
  readonly letters: ReadonlyArray<DeadLetter>
  readonly includeRedriven: boolean
  readonly admin: boolean
  /** The outcome of a redrive just done, or why it was refused. */
  readonly notice?: { readonly kind: 'done' | 'refused'; readonly text: string }
  readonly csrf: string
}): Html {
  const body = html`<h1>Dead letters</h1>
<p class="hint">Side effects that failed every delivery attempt. Redrive puts one back in its queue with a fresh retry budget${
    view.admin ? '' : html` (<strong>needs an admin token</strong>: you are signed in without one)`
  }.</p>
${
  view.notice === undefined
    ? ''
    : html`<p class="notice notice-${view.notice.kind}" role="status">${view.notice.text}</p>`
}
<p>${view.includeRedriven ? html`<a href="/dead-letters">open ones only</a>` : html`<a href="/dead-letters?all=1">include redriven ones</a>`}</p>
<div data-live="dead-letters">
${
  view.letters.length === 0
    ? html`<p class="empty">No dead letter.</p>`
    : html`<table class="grid">
<thead><tr><th>id</th><th>kind</th><th>key</th><th>error</th><th>attempts</th><th>first failed</th><th>last failed</th><th>payload</th><th></th></tr></thead>
<tbody>${view.letters.map(
        (letter) => html`<tr data-dead-letter="${letter.id.toString()}">
  <td>${letter.id.toString()}</td><td>${letter.kind}</td><td><code>${letter.key ?? '—'}</code></td>
  <td>${letter.error}</td><td>${letter.attempts}</td>
  <td>${formatInstant(letter.firstFailedAt)}</td><td>${formatInstant(letter.lastFailedAt)}</td>
  <td><details><summary>payload</summary><pre>${showValue(letter.payload)}</pre></details></td>
  <td>${
    letter.redrivenAt !== null
      ? html`redriven ${formatInstant(letter.redrivenAt)}`
      : html`<form method="post" action="/dead-letters/${letter.id.toString()}/redrive"><input type="hidden" name="csrf" value="${view.csrf}"><button type="submit"${view.admin ? '' : html` disabled title="needs an admin token"`}>Redrive</button></form>`
  }</td>
</tr>`,
      )}</tbody></table>`
}
</div>`
  return layout({ title: 'Dead letters', section: 'dead-letters', body, csrf: view.csrf, live: true })
}
