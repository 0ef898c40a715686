import { PUBLIC_RUN_EVENT_TYPES } from '@interlock/domain'
import type { AuditEventView } from '@interlock/projections'
import { html } from 'hono/html'
import { formatInstant, type Html, layout, pipelinePath, queryOf, runPath } from './layout.ts'

export const SEVERITIES = ['critical', 'warning', 'success', 'info'] as const

/** The events as a table, newest first (also on the pipeline page). */
export function eventRows(events: ReadonlyArray<AuditEventView>): Html {
  return html`<table class="grid events">
<thead><tr><th>when</th><th>type</th><th>severity</th><th>pipeline</th><th>period</th><th>message</th></tr></thead>
<tbody>${events.map(
    (event) => html`<tr class="severity-${event.severity}">
  <td>${formatInstant(event.occurredAt)}</td><td><code>${event.type}</code></td>
  <td><span class="badge severity-${event.severity}">${event.severity}</span></td>
  <td><a href="${pipelinePath(event.pipelineId)}">${event.pipelineId}</a></td>
  <td><a href="${runPath(event.pipelineId, event.period, event.scheduleId)}">${event.period}</a>${event.scheduleId === 'default' ? '' : html` <small>${event.scheduleId}</small>`}</td>
  <td>${event.message}</td>
</tr>`,
  )}</tbody></table>`
}

/** The filters of the events page as the form has them (strings, possibly empty). */
export interface EventsFilterForm {
  readonly type?: string
  readonly pipeline?: string
  readonly severity?: string
  readonly since?: string
  readonly until?: string
}

/** The audit feed: filters by type, pipeline, severity and time; newest first; live on the first page. */
export function eventsPage(view: {
  readonly events: ReadonlyArray<AuditEventView>
  readonly filter: EventsFilterForm
  /** Problems with the filters, each naming the field. */
  readonly problems: ReadonlyArray<string>
  /** The `before` cursor of the next (older) page, when there is one. */
  readonly older: string | undefined
  readonly paged: boolean
  readonly csrf: string
}): Html {
  const { filter } = view
  const body = html`<h1>Events</h1>
<form method="get" action="/events" class="filters">
  <label>Type <input name="type" list="event-types" value="${filter.type ?? ''}" placeholder="any" size="22"></label>
  <datalist id="event-types">${PUBLIC_RUN_EVENT_TYPES.map((type) => html`<option value="${type}">`)}</datalist>
  <label>Pipeline <input name="pipeline" value="${filter.pipeline ?? ''}" placeholder="any" size="18"></label>
  <label>Severity <select name="severity"><option value="">any</option>${SEVERITIES.map(
    (severity) => html`<option${severity === filter.severity ? html` selected` : ''}>${severity}</option>`,
  )}</select></label>
  <label>Since <input name="since" value="${filter.since ?? ''}" placeholder="2026-03-01T00:00Z" size="18"></label>
  <label>Until <input name="until" value="${filter.until ?? ''}" placeholder="2026-03-02T00:00Z" size="18"></label>
  <button type="submit">Filter</button>
</form>
${
  view.problems.length === 0
    ? ''
    : html`<div class="problems" role="alert"><ul>${view.problems.map((problem) => html`<li>${problem}</li>`)}</ul></div>`
}
<div data-live="${view.paged ? 'none' : 'events'}">
${view.events.length === 0 ? html`<p class="empty">No event matches.</p>` : eventRows(view.events)}
</div>
${
  view.older === undefined
    ? ''
    : html`<p><a rel="next" href="/events${queryOf({ ...filter, before: view.older })}">older events</a></p>`
}`
  return layout({ title: 'Events', section: 'events', body, csrf: view.csrf, live: !view.paged })
}
