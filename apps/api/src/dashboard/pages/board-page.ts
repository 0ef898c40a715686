import { html } from 'hono/html'
import { type BoardCard, CARD_STATES, type CardState } from '../board.ts'
import {
  formatAge,
  formatInstant,
  formatSpan,
  type Html,
  layout,
  pipelinePath,
  queryOf,
  runPath,
  showValue,
} from './layout.ts'

function readinessOf(card: BoardCard): Html {
  const readiness = card.readiness
  switch (readiness._tag) {
    case 'NotJudged':
      return html``
    case 'Ready':
      return html`<p class="readiness ready">ready: ${readiness.rules} of ${readiness.rules} rules pass</p>`
    case 'Blocked':
      return html`<div class="readiness blocked">
  <p>blocked: ${readiness.rules - readiness.blocking.length} of ${readiness.rules} rules pass</p>
  <ul>${readiness.blocking.map(
    (rule) =>
      html`<li><span class="rule">${rule.key}${rule.field === undefined ? '' : `.${rule.field}`} ${rule.check}${rule.expected === undefined ? '' : ` ${showValue(rule.expected)}`}</span>: ${rule.reason ?? 'fails'}</li>`,
  )}</ul>
</div>`
  }
}

function slaOf(card: BoardCard, now: number): Html {
  const sla = card.sla
  switch (sla._tag) {
    case 'None':
      return html``
    case 'Verdict':
      return html`<p class="sla sla-${sla.verdict}">SLA ${sla.verdict}</p>`
    case 'Countdown': {
      const left = sla.breachAt - now
      return left <= 0
        ? html`<p class="sla sla-breached">SLA deadline passed ${formatSpan(left)} ago</p>`
        : html`<p class="sla ${sla.warned ? 'sla-warning' : 'sla-pending'}">SLA breach in ${formatSpan(left)}${sla.warned ? ' (warned)' : ''}</p>`
    }
  }
}

function lastResultOf(card: BoardCard, now: number): Html {
  const last = card.lastResult
  if (last === null) return html`<p class="last">no finished run yet</p>`
  return html`<p class="last">last result: <a href="${runPath(card.pipelineId, last.period, last.scheduleId)}">${last.period}</a>
  <span class="badge state-${last.status === 'succeeded' ? 'succeeded' : 'failed'}">${last.status.replace('_', ' ')}</span>${
    last.finishedAt === null ? '' : html` ${formatAge(last.finishedAt, now)}`
  }</p>`
}

function cardOf(card: BoardCard, now: number): Html {
  return html`<article class="card state-${card.state}" data-pipeline="${card.pipelineId}" data-state="${card.state}">
  <header>
    <h2><a href="${pipelinePath(card.pipelineId)}">${card.pipelineId}</a></h2>
    <span class="badge state-${card.state}" data-testid="state">${card.state}</span>
  </header>
  ${card.owner === null ? '' : html`<p class="owner">owner: ${card.owner}</p>`}
  ${card.description === null ? '' : html`<p class="description">${card.description}</p>`}
  <p class="period">${
    card.period === null
      ? html`no run yet${card.detail === null ? '' : html` · ${card.detail}`}`
      : html`period <a href="${runPath(card.pipelineId, card.period, card.scheduleId)}">${card.period}</a>${card.detail === null ? '' : html` · ${card.detail}`}${card.attempts > 1 ? html` · ${card.attempts} attempts` : ''}${card.reruns > 0 ? html` · ${card.reruns} rerun${card.reruns > 1 ? 's' : ''}` : ''}`
  }</p>
  ${readinessOf(card)}
  ${slaOf(card, now)}
  ${lastResultOf(card, now)}
</article>`
}

/**
 * Cards per page: the worst ones come first, so the first page shows what needs attention; the rest are a
 * link away, and a live refresh of a thousand-pipeline board stays small.
 */
export const BOARD_PAGE = 200

function pagerOf(view: {
  readonly total: number
  readonly page: number
  readonly owner: string | undefined
  readonly state: CardState | undefined
}): Html {
  const pages = Math.max(1, Math.ceil(view.total / BOARD_PAGE))
  if (pages === 1) return html``
  const link = (page: number, label: string) =>
    html`<a href="/${queryOf({ owner: view.owner, state: view.state, page: page === 1 ? undefined : String(page) })}">${label}</a>`
  const first = (view.page - 1) * BOARD_PAGE + 1
  return html`<p class="pager">cards ${first}–${Math.min(view.total, view.page * BOARD_PAGE)} of ${view.total}${
    view.page > 1 ? html` · ${link(view.page - 1, '← worse')}` : ''
  }${view.page < pages ? html` · ${link(view.page + 1, 'better →')}` : ''}</p>`
}

/** The board: one card per pipeline, worst first, with the owner and state filters. */
export function boardPage(view: {
  readonly cards: ReadonlyArray<BoardCard>
  /** Which BOARD_PAGE cards to show, from 1. */
  readonly page: number
  readonly owners: ReadonlyArray<string>
  readonly owner: string | undefined
  readonly state: CardState | undefined
  readonly counts: Readonly<Record<CardState, number>>
  readonly now: number
  readonly csrf: string
}): Html {
  const body = html`<h1>Pipelines</h1>
<form method="get" action="/" class="filters">
  <label>Owner <select name="owner"><option value="">all</option>${view.owners.map(
    (owner) => html`<option${owner === view.owner ? html` selected` : ''}>${owner}</option>`,
  )}</select></label>
  <label>State <select name="state"><option value="">all</option>${CARD_STATES.map(
    (state) => html`<option${state === view.state ? html` selected` : ''}>${state}</option>`,
  )}</select></label>
  <button type="submit">Filter</button>
</form>
<div data-live="board">
<p class="summary">as of ${formatInstant(new Date(view.now))} · ${CARD_STATES.filter(
    (state) => view.counts[state] > 0,
  ).map((state) => html`<span class="badge state-${state}">${view.counts[state]} ${state}</span> `)}</p>
${
  view.cards.length === 0
    ? html`<p class="empty">No pipeline matches. Register one with <code>interlock apply</code> or <code>PUT /api/pipelines/{id}</code>.</p>`
    : html`<section class="cards">${view.cards
        .slice((view.page - 1) * BOARD_PAGE, view.page * BOARD_PAGE)
        .map((card) => cardOf(card, view.now))}</section>
${pagerOf({ total: view.cards.length, page: view.page, owner: view.owner, state: view.state })}`
}
</div>`
  return layout({ title: 'Pipelines', section: 'board', body, csrf: view.csrf, live: true })
}
