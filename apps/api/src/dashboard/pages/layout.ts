import { html } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/** A rendered fragment: hono/html escapes every interpolated string, so user data cannot become markup. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>

/** The static files, served under this path with a long cache (their URLs carry no version: small files). */
export const ASSETS_PATH = '/dashboard-assets'

export type Section = 'board' | 'events' | 'dead-letters' | 'none'

/**
 * The page around every dashboard view: navigation, the one stylesheet and the one script. Regions marked
 * `data-live` are what the script swaps in place when the read models advance; without JavaScript the page
 * is complete as served.
 */
export function layout(page: {
  readonly title: string
  readonly section: Section
  readonly body: Html
  /** The CSRF token of the session, for the sign-out form; absent on the sign-in and error pages. */
  readonly csrf?: string
  /** Whether the page listens for live updates. */
  readonly live?: boolean
}): Html {
  const link = (section: Section, href: string, label: string) =>
    html`<a href="${href}"${page.section === section ? html` aria-current="page"` : ''}>${label}</a>`
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${page.title} · Interlock</title>
<link rel="stylesheet" href="${ASSETS_PATH}/dashboard.css">
<script src="${ASSETS_PATH}/dashboard.js" defer></script>
</head>
<body${page.live === true ? html` data-live-url="/live"` : ''}>
<header class="top">
  <a class="brand" href="/">Interlock</a>
  ${
    page.csrf === undefined
      ? ''
      : html`<nav>${link('board', '/', 'Board')} ${link('events', '/events', 'Events')} ${link('dead-letters', '/dead-letters', 'Dead letters')}</nav>
  <span class="live-status" id="live-status" hidden>live</span>
  <form method="post" action="/sign-out" class="sign-out"><input type="hidden" name="csrf" value="${page.csrf}"><button type="submit">Sign out</button></form>`
  }
</header>
<main>
${page.body}
</main>
</body>
</html>`
}

/** An instant as `2026-03-04 10:05:00Z`: UTC, to the second, readable and sortable. */
export function formatInstant(at: Date | string | null | undefined): string {
  if (at === null || at === undefined) return '—'
  const date = typeof at === 'string' ? new Date(at) : at
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`
}

/** A span of milliseconds as `1h 20m`, `4m 05s` or `12s`. */
export function formatSpan(milliseconds: number): string {
  const seconds = Math.round(Math.abs(milliseconds) / 1000)
  const days = Math.floor(seconds / 86_400)
  const hours = Math.floor((seconds % 86_400) / 3_600)
  const minutes = Math.floor((seconds % 3_600) / 60)
  const rest = seconds % 60
  if (days > 0) return `${days}d ${hours}h`
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`
  if (minutes > 0) return `${minutes}m ${String(rest).padStart(2, '0')}s`
  return `${rest}s`
}

/** How long ago `at` was, seen from `now`. */
export function formatAge(at: Date | string, now: number): string {
  const millis = now - (typeof at === 'string' ? Date.parse(at) : at.getTime())
  return millis < 0 ? `in ${formatSpan(millis)}` : `${formatSpan(millis)} ago`
}

/** A value of a sensor or rule as short text: JSON for anything but strings. */
export function showValue(value: unknown): string {
  if (value === undefined) return '—'
  if (typeof value === 'string') return value
  const text = JSON.stringify(value)
  return text.length > 200 ? `${text.slice(0, 197)}…` : text
}

/** A query string of the given parameters, without the empty ones. */
export function queryOf(parameters: Readonly<Record<string, string | undefined>>): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== '') search.set(name, value)
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

/** The path of a pipeline's page, and of one of its runs. */
export const pipelinePath = (pipelineId: string): string => `/pipelines/${encodeURIComponent(pipelineId)}`
export const runPath = (pipelineId: string, period: string, scheduleId = 'default'): string =>
  `${pipelinePath(pipelineId)}/runs/${encodeURIComponent(period)}${scheduleId === 'default' ? '' : queryOf({ schedule: scheduleId })}`
