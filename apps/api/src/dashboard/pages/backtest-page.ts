import type { BacktestReport, PeriodDecision } from '@interlock/domain'
import { html } from 'hono/html'
import { formatInstant, type Html, layout, pipelinePath } from './layout.ts'

const decisionCell = (decision: PeriodDecision): Html =>
  html`<span class="badge">${decision.outcome}</span>${
    decision.triggeredAt === null ? '' : html` ${formatInstant(decision.triggeredAt)}`
  }${
    decision.blockedBy.length === 0
      ? ''
      : html`<br><small>blocked by ${decision.blockedBy.map((rule, index) => html`${index === 0 ? '' : ', '}<code>${rule}</code>`)}</small>`
  }`

function reportOf(report: BacktestReport): Html {
  const summary = report.summary
  const differing = report.periods.filter((period) => period.differences.length > 0)
  return html`<section data-backtest="report">
<h2>Comparison</h2>
<p class="summary">${summary.periods} period(s) compared, <strong>${summary.differing} differ</strong>: triggered earlier
${summary.triggeredEarlier}, later ${summary.triggeredLater}, never ${summary.neverTriggered}, newly ${summary.newlyTriggered};
SLA verdict changes ${summary.slaVerdictChanges.length}.</p>
${
  summary.blockingRules.candidate.length === 0
    ? ''
    : html`<p>Blocked most often by the candidate: ${summary.blockingRules.candidate.map(
        (rule, index) => html`${index === 0 ? '' : ', '}<code>${rule.rule}</code> (${rule.periods})`,
      )}</p>`
}
${
  differing.length === 0
    ? html`<p class="empty">The candidate decides every period as the live config did.</p>`
    : html`<table class="grid">
<thead><tr><th>period</th><th>schedule</th><th>live</th><th>candidate</th><th>SLA</th><th>differs in</th></tr></thead>
<tbody>${differing.map(
        (period) => html`<tr data-period="${period.period}">
  <td>${period.period}</td><td>${period.scheduleId}</td>
  <td>${decisionCell(period.live)}</td><td>${decisionCell(period.candidate)}</td>
  <td>${period.live.sla.verdict ?? '—'} → ${period.candidate.sla.verdict ?? '—'}</td>
  <td>${period.differences.join(', ')}</td>
</tr>`,
      )}</tbody></table>`
}
</section>`
}

/**
 * A pipeline's backtest (issue #11): a form for a candidate config and a date range, and, once posted, the
 * comparison of every recorded period with what the candidate would have decided. Nothing is written.
 */
export function backtestPage(view: {
  readonly pipelineId: string
  readonly config: string
  readonly from: string
  readonly to: string
  readonly report?: BacktestReport
  /** Why the candidate or the range was refused. */
  readonly problems?: ReadonlyArray<string>
  readonly csrf: string
}): Html {
  const path = pipelinePath(view.pipelineId)
  const body = html`<p class="crumbs"><a href="/">Board</a> / <a href="${path}">${view.pipelineId}</a> / backtest</p>
<h1>Backtest ${view.pipelineId}</h1>
<p class="hint">Replays the recorded periods with a candidate config and compares each with what the live config
decided. Nothing is written; a job only the candidate would start shows as "would-trigger".</p>
${
  view.problems === undefined
    ? ''
    : html`<ul class="notice notice-refused" role="alert">${view.problems.map((problem) => html`<li>${problem}</li>`)}</ul>`
}
<form method="post" action="${path}/backtest" class="backtest">
<input type="hidden" name="csrf" value="${view.csrf}">
<label>Candidate config (YAML)<br><textarea name="config" rows="20" cols="100" spellcheck="false">${view.config}</textarea></label>
<p><label>from <input type="date" name="from" value="${view.from}"></label>
<label>to <input type="date" name="to" value="${view.to}"></label>
<button type="submit">Backtest</button></p>
</form>
${view.report === undefined ? '' : reportOf(view.report)}`
  return layout({ title: `Backtest ${view.pipelineId}`, section: 'none', body, csrf: view.csrf, live: false })
}
