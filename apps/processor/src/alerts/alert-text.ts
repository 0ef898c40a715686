import type { Alert, AlertSeverity } from './alert.ts'

/** The emoji of each severity (lifecycle §9.2): red, yellow, check, and info as U+2139 U+FE0F. */
export const SEVERITY_EMOJI: { readonly [Severity in AlertSeverity]: string } = {
  critical: '🔴',
  warning: '🟡',
  success: '✅',
  info: 'ℹ️',
}

const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value)

const present = (value: unknown): boolean => value !== undefined && value !== null && value !== ''

/** `Deadline …`, `Status: …`, `Source: …`, `Cron: …` in that order, each only when its detail key exists (§9.4). */
function detailLine(detail: Alert['detail']): string | undefined {
  const parts: Array<string> = []
  if (present(detail.deadline)) {
    parts.push(
      present(detail.breachAt)
        ? `Deadline ${text(detail.deadline)} (${text(detail.breachAt)})`
        : `Deadline ${text(detail.deadline)}`,
    )
  }
  if (present(detail.status)) parts.push(`Status: ${text(detail.status)}`)
  if (present(detail.source)) parts.push(`Source: ${text(detail.source)}`)
  if (present(detail.cron)) parts.push(`Cron: ${text(detail.cron)}`)
  return parts.length === 0 ? undefined : parts.join(' · ')
}

/**
 * The alert as a person reads it (Slack mrkdwn, lifecycle §9.4): the header
 * `<emoji> *<TYPE>* | <pipeline> | <period>`, then the message — always, unlike the original, which hid
 * it behind the detail line (L8) — then the detail line, the action hint (`→ …`), and who owns the
 * pipeline. A schedule other than `default` is named beside the pipeline (C14).
 */
export function alertText(alert: Alert): string {
  const pipeline =
    alert.scheduleId === 'default' ? alert.pipelineId : `${alert.pipelineId} (${alert.scheduleId})`
  const lines = [
    `${SEVERITY_EMOJI[alert.severity]} *${alert.type}* | ${pipeline} | ${alert.period}`,
    alert.message,
  ]
  const details = detailLine(alert.detail)
  if (details !== undefined) lines.push(details)
  if (present(alert.detail.actionHint)) lines.push(`→ ${text(alert.detail.actionHint)}`)
  const about = [
    ...(alert.owner === undefined ? [] : [`Owner: ${alert.owner}`]),
    ...(alert.description === undefined ? [] : [alert.description]),
  ]
  if (about.length > 0) lines.push(about.join(' · '))
  return lines.join('\n')
}
