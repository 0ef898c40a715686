import type { ExplainStep } from '@interlock/domain'
import type { AttemptView, RerunView, RunView, SlaClockView } from '@interlock/projections'
import { html } from 'hono/html'
import { formatInstant, formatSpan, type Html, layout, pipelinePath } from './layout.ts'

function durationOf(attempt: AttemptView, now: number): string {
  const start = Date.parse(attempt.startedAt)
  const end = attempt.finishedAt === null ? now : Date.parse(attempt.finishedAt)
  return `${formatSpan(end - start)}${attempt.finishedAt === null ? ' so far' : ''}`
}

function attemptsOf(attempts: ReadonlyArray<AttemptView>, now: number): Html {
  if (attempts.length === 0)
    return html`<p class="empty">No attempt yet: the period waits for its trigger.</p>`
  return html`<table class="grid">
<thead><tr><th>#</th><th>cause</th><th>status</th><th>job</th><th>job run id</th><th>evaluations</th><th>started</th><th>finished</th><th>duration</th><th>error</th></tr></thead>
<tbody>${attempts.map(
    (attempt) => html`<tr>
  <td>${attempt.attemptNumber}</td>
  <td>${attempt.cause}${attempt.rerunReason === null ? '' : html` (${attempt.rerunReason})`}</td>
  <td><span class="badge state-${attempt.status}">${attempt.status.replace('_', ' ')}</span>${
    attempt.failureCategory === null ? '' : html` <small>${attempt.failureCategory}</small>`
  }</td>
  <td>${attempt.jobType ?? '—'}</td>
  <td><code>${attempt.jobRunId ?? '—'}</code></td>
  <td>${attempt.evaluations}${attempt.evaluationPassed === null ? '' : attempt.evaluationPassed ? ' (passed)' : ' (last failed)'}</td>
  <td>${formatInstant(attempt.startedAt)}</td>
  <td>${formatInstant(attempt.finishedAt)}</td>
  <td>${durationOf(attempt, now)}</td>
  <td>${attempt.error ?? ''}</td>
</tr>`,
  )}</tbody></table>`
}

function slaRow(name: string, clock: SlaClockView | null): Html {
  if (clock === null) return html``
  return html`<tr><th>${name}</th><td>${formatInstant(clock.warningAt)}</td><td>${formatInstant(clock.breachAt)}</td>
  <td><span class="badge sla-${clock.status}">${clock.status}</span></td></tr>`
}

function reruns(list: ReadonlyArray<RerunView>): Html {
  if (list.length === 0) return html`<p class="empty">No rerun requested.</p>`
  return html`<table class="grid">
<thead><tr><th>decided</th><th>request</th><th>reason</th><th>outcome</th><th>why</th><th>budget</th><th>attempt</th></tr></thead>
<tbody>${list.map(
    (rerun) => html`<tr>
  <td>${formatInstant(rerun.decidedAt)}</td><td><code>${rerun.requestId}</code></td><td>${rerun.reason}</td>
  <td><span class="badge state-${rerun.outcome === 'accepted' ? 'succeeded' : 'failed'}">${rerun.outcome}</span></td>
  <td>${rerun.why}</td>
  <td>${rerun.used === null || rerun.budget === null ? '—' : `${rerun.used} of ${rerun.budget} used`}</td>
  <td><code>${rerun.attemptId ?? '—'}</code></td>
</tr>`,
  )}</tbody></table>`
}

/** A trace line of a rule verdict starts with ✔ or ✘ (explainRule): shown as passed or blocking. */
function traceLine(line: string): Html {
  const kind = line.startsWith('✘') ? 'rule-failed' : line.startsWith('✔') ? 'rule-passed' : 'detail'
  return html`<li class="${kind}">${line}</li>`
}

function trace(steps: ReadonlyArray<ExplainStep>): Html {
  return html`<ol class="trace">${steps.map(
    (step) =>
      html`<li><span class="at">${formatInstant(step.at)}</span> <strong>${step.title}</strong>${
        step.lines.length === 0 ? '' : html`<ul>${step.lines.map(traceLine)}</ul>`
      }</li>`,
  )}</ol>`
}

/** One run: its state, SLA instants, attempts, reruns and the decider's full trace. */
export function runPage(view: {
  readonly run: RunView
  readonly attempts: ReadonlyArray<AttemptView>
  readonly reruns: ReadonlyArray<RerunView>
  readonly steps: ReadonlyArray<ExplainStep>
  readonly now: number
  readonly csrf: string
}): Html {
  const { run } = view
  const body = html`<p class="crumbs"><a href="/">Board</a> / <a href="${pipelinePath(run.pipelineId)}">${run.pipelineId}</a> / ${run.period}</p>
<h1>${run.pipelineId} · ${run.period}${run.scheduleId === 'default' ? '' : html` <small>schedule ${run.scheduleId}</small>`}</h1>
<div data-live="run">
<p class="meta"><span class="badge state-${run.status}" data-testid="run-status">${run.status.replace('_', ' ')}</span>
${run.dryRun ? html` <span class="badge state-dry-run">dry-run</span>` : ''}
 · opened ${formatInstant(run.openedAt)}${run.finishedAt === null ? '' : html` · finished ${formatInstant(run.finishedAt)}`}
${run.failureReason === null ? '' : html` · ${run.failureReason}`}${run.postRunStatus === null ? '' : html` · post-run ${run.postRunStatus}`}</p>
<section>
<h2>SLA</h2>
${
  run.sla === null && run.relativeSla === null
    ? html`<p class="empty">No SLA clock for this run.</p>`
    : html`<table class="grid"><thead><tr><th></th><th>warning at</th><th>breach at</th><th>status</th></tr></thead>
<tbody>${slaRow(`deadline${run.slaCritical === true ? ' (critical)' : ''}`, run.sla)}${slaRow('max duration', run.relativeSla)}</tbody></table>`
}
</section>
<section>
<h2>Attempts</h2>
${attemptsOf(view.attempts, view.now)}
</section>
<section>
<h2>Reruns</h2>
${reruns(view.reruns)}
</section>
<section>
<h2>Explain</h2>
<p class="hint">Every decision of the run, in order, with the sensors and each rule's verdict it was made on.</p>
${trace(view.steps)}
</section>
</div>`
  return layout({
    title: `${run.pipelineId} ${run.period}`,
    section: 'none',
    body,
    csrf: view.csrf,
    live: true,
  })
}
