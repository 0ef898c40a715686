import type { AuditEventView, PipelineView, SensorReadingView } from '@interlock/projections'
import { html } from 'hono/html'
import type { TimelineRun } from '../dashboard-sql.ts'
import { eventRows } from './events-page.ts'
import { formatAge, formatInstant, type Html, layout, pipelinePath, runPath, showValue } from './layout.ts'

/** Periods the timeline shows, newest last. */
export const TIMELINE_PERIODS = 48

/** One version of the pipeline's config, as YAML. */
export interface ConfigVersion {
  readonly version: number
  readonly hash: string
  readonly at: string
  readonly change: 'registered' | 'changed' | 'removed'
  readonly yaml: string | null
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** The period `steps` periods before `period` (daily `YYYY-MM-DD` or hourly `YYYY-MM-DDTHH`). */
export function periodBefore(period: string, steps: number): string {
  const hourly = period.length === 13
  const start = Date.parse(hourly ? `${period}:00:00Z` : `${period}T00:00:00Z`)
  const at = new Date(start - steps * (hourly ? HOUR_MS : DAY_MS)).toISOString()
  return hourly ? at.slice(0, 13) : at.slice(0, 10)
}

/**
 * The timeline's rows: one per schedule, each with the last TIMELINE_PERIODS periods up to the newest run
 * of the pipeline (oldest first), a period without a run shown as an empty cell.
 */
export function timelineRows(runs: ReadonlyArray<TimelineRun>): ReadonlyArray<{
  readonly scheduleId: string
  readonly cells: ReadonlyArray<{ period: string; run: TimelineRun | undefined }>
}> {
  const newest = runs.reduce<string | undefined>(
    (latest, run) => (latest === undefined || run.period > latest ? run.period : latest),
    undefined,
  )
  if (newest === undefined) return []
  const periods = Array.from({ length: TIMELINE_PERIODS }, (_, index) =>
    periodBefore(newest, TIMELINE_PERIODS - 1 - index),
  )
  const schedules = [...new Set(runs.map((run) => run.scheduleId))].sort()
  return schedules.map((scheduleId) => {
    const byPeriod = new Map(
      runs.filter((run) => run.scheduleId === scheduleId).map((run) => [run.period, run] as const),
    )
    return { scheduleId, cells: periods.map((period) => ({ period, run: byPeriod.get(period) })) }
  })
}

function cellOf(
  pipelineId: string,
  scheduleId: string,
  cell: { period: string; run: TimelineRun | undefined },
): Html {
  const run = cell.run
  if (run === undefined) return html`<span class="cell cell-none" title="${cell.period}: no run"></span>`
  const marks = [
    run.attemptCount > 1 ? `${run.attemptCount} attempts` : '',
    run.rerunCount > 0 ? `${run.rerunCount} rerun(s)` : '',
    run.slaBreached ? 'SLA breached' : '',
    run.dryRun ? 'dry-run' : '',
  ].filter((mark) => mark !== '')
  const title = `${cell.period}: ${run.status.replace('_', ' ')}${marks.length === 0 ? '' : ` (${marks.join(', ')})`}`
  return html`<a class="cell cell-${run.status}${run.slaBreached ? ' cell-breached' : ''}" href="${runPath(pipelineId, cell.period, scheduleId)}" title="${title}" aria-label="${title}">${
    run.rerunCount > 0 ? '↻' : run.attemptCount > 1 ? String(run.attemptCount) : ''
  }${run.slaBreached ? '!' : ''}</a>`
}

function sensorsOf(sensors: ReadonlyArray<SensorReadingView>, now: number): Html {
  if (sensors.length === 0) return html`<p class="empty">No sensor reading yet.</p>`
  return html`<table class="grid">
<thead><tr><th>sensor</th><th>period</th><th>value</th><th>recorded</th><th>age</th><th>source</th></tr></thead>
<tbody>${sensors.map(
    (sensor) => html`<tr>
  <td><code>${sensor.key}</code></td><td>${sensor.period}</td><td><code>${showValue(sensor.data)}</code></td>
  <td>${formatInstant(sensor.recordedAt)}</td><td>${formatAge(sensor.recordedAt, now)}</td><td>${sensor.source ?? '—'}</td>
</tr>`,
  )}</tbody></table>`
}

function versionsOf(versions: ReadonlyArray<ConfigVersion>): Html {
  const newestFirst = [...versions].reverse()
  return html`${newestFirst.map(
    (version, index) => html`<details${index === 0 ? html` open` : ''}>
  <summary>version ${version.version} · ${version.change} ${formatInstant(version.at)} · <code>${version.hash.slice(0, 12)}</code></summary>
  ${version.yaml === null ? html`<p>removed</p>` : html`<pre class="yaml">${version.yaml}</pre>`}
</details>`,
  )}`
}

/** A pipeline: its timeline, latest sensors, config versions and recent public events. */
export function pipelinePage(view: {
  readonly pipeline: PipelineView
  readonly timeline: ReadonlyArray<TimelineRun>
  readonly sensors: ReadonlyArray<SensorReadingView>
  readonly versions: ReadonlyArray<ConfigVersion>
  readonly events: ReadonlyArray<AuditEventView>
  readonly now: number
  readonly csrf: string
}): Html {
  const { pipeline } = view
  const rows = timelineRows(view.timeline)
  const body = html`<p class="crumbs"><a href="/">Board</a> / ${pipeline.pipelineId}</p>
<h1>${pipeline.pipelineId}</h1>
<p class="meta">${pipeline.owner === null ? '' : html`owner <strong>${pipeline.owner}</strong> · `}config version ${pipeline.version}${
    pipeline.paused
      ? html` · <span class="badge state-paused">paused</span>${pipeline.pauseReason === null ? '' : html` ${pipeline.pauseReason}`}`
      : ''
  }${pipeline.dryRun ? html` · <span class="badge state-dry-run">dry-run</span>` : ''}${pipeline.removed ? html` · <span class="badge state-failed">removed</span>` : ''}</p>
${pipeline.description === null ? '' : html`<p class="description">${pipeline.description}</p>`}
<div data-live="pipeline">
<section>
<h2>Timeline <small>last ${TIMELINE_PERIODS} periods</small></h2>
${
  rows.length === 0
    ? html`<p class="empty">No run yet.</p>`
    : html`${rows.map(
        (row) =>
          html`<div class="timeline"><span class="schedule">${row.scheduleId}</span><div class="cells">${row.cells.map(
            (cell) => cellOf(pipeline.pipelineId, row.scheduleId, cell),
          )}</div></div>`,
      )}
<p class="legend"><span class="cell cell-succeeded"></span> succeeded <span class="cell cell-failed"></span> failed
<span class="cell cell-running"></span> running <span class="cell cell-evaluating"></span> evaluating
<span class="cell cell-waiting"></span> waiting <span class="cell cell-excluded"></span> excluded
<span class="cell cell-none"></span> no run · <b>2</b> attempts · <b>↻</b> rerun · <b>!</b> SLA breached</p>`
}
</section>
<section>
<h2>Latest sensors</h2>
${sensorsOf(view.sensors, view.now)}
</section>
<section>
<h2>Recent events</h2>
${view.events.length === 0 ? html`<p class="empty">No public event yet.</p>` : eventRows(view.events)}
<p><a href="/events?pipeline=${encodeURIComponent(pipeline.pipelineId)}">all events of ${pipeline.pipelineId}</a></p>
</section>
</div>
<section>
<h2>Config</h2>
<p><a href="${pipelinePath(pipeline.pipelineId)}/backtest">Backtest a candidate config</a> against the recorded periods</p>
${versionsOf(view.versions)}
</section>`
  return layout({ title: pipeline.pipelineId, section: 'none', body, csrf: view.csrf, live: true })
}
