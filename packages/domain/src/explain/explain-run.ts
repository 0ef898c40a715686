import type { RuleResult } from '../rules/index.ts'
import type { RunEvent } from '../run/events.ts'
import { publicEventOf } from '../run/public-events.ts'
import type { RunKey } from '../shared/run-key.ts'

/** One decision in a run's history, in words: when, what, and the inputs it used. */
export interface ExplainStep {
  readonly at: string
  readonly title: string
  readonly lines: ReadonlyArray<string>
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value))

/** A rule's verdict: `✔ upstream-complete.status equals "ready" (actual "ready")` or `✘ … — reason`. */
export const explainRule = (result: RuleResult): string => {
  const target = result.field !== undefined ? `${result.key}.${result.field}` : result.key
  const expected = result.expected !== undefined ? ` ${show(result.expected)}` : ''
  const verdict = `${result.passed ? '✔' : '✘'} ${target} ${result.check}${expected} (actual ${show(result.actual)})`
  return result.reason !== undefined ? `${verdict} — ${result.reason}` : verdict
}

const titleOf = (event: RunEvent): string => {
  switch (event._tag) {
    case 'SensorReadingRecorded':
      return `sensor ${event.key} recorded`
    case 'AttemptDeferred':
      return `start deferred until ${event.notBefore} (after ${event.after} ${event.timezone}; opened by ${event.cause})`
    case 'AttemptStarted':
      return `attempt ${event.attemptNumber} started (${event.cause}${event.rerunReason !== undefined ? `: ${event.rerunReason}` : ''})`
    case 'RunEvaluated':
      return `evaluation ${event.evaluationNumber} of attempt ${event.attemptId}: ${event.passed ? 'passed' : 'not ready'} (${event.mode})`
    case 'TimerRequested':
      return `timer ${event.timerId} set for ${event.fireAt} → ${event.command._tag}`
    case 'JobStartRequested':
      return `job start requested for ${event.attemptId} (try ${event.triggerTry})`
    case 'RunCompletedWithoutJob':
      return `attempt ${event.attemptId} complete, no job started: ${event.reason}`
    case 'TriggerFailed':
      return `trigger try ${event.triggerTry} failed: ${event.error}${event.retryAt !== undefined ? `; retry at ${event.retryAt}` : ''}`
    case 'RetryGranted':
      return `job failure of ${event.failedAttemptId} retried (${event.retryNumber}/${event.budget})`
    case 'JobHeartbeatRecorded':
      return `heartbeat ${event.sequence} of ${event.attemptId} recorded`
    case 'JobHeartbeatMissed':
      return `heartbeat missed for ${event.attemptId}: none within ${event.timeoutMs / 1000}s since ${event.lastSignAt}`
    case 'StaleJobResultRecorded':
      return `late result "${event.result}" of superseded attempt ${event.attemptId} recorded; nothing changed`
    case 'SlaScheduled':
      return `${event.kind} SLA: warning ${event.warningAt ?? 'none'}, breach ${event.breachAt}`
    default: {
      const published = publicEventOf(event, { pipelineId: '', scheduleId: '', period: '' })
      return published !== null ? `${published.type}: ${event._tag}` : event._tag
    }
  }
}

const linesOf = (event: RunEvent, run: RunKey): ReadonlyArray<string> => {
  const published = publicEventOf(event, run)
  const base: Array<string> = published !== null ? [`${published.type} — ${published.message}`] : []
  if ('configVersion' in event) base.push(`config version ${event.configVersion}`)
  switch (event._tag) {
    case 'RunEvaluated':
    case 'PostRunValidated':
    case 'DryRunWouldTrigger':
      return [
        ...base,
        ...event.ruleResults.map(explainRule),
        `sensors used: ${Object.keys(event.sensorSnapshot).length === 0 ? 'none' : JSON.stringify(event.sensorSnapshot)}`,
      ]
    case 'SensorReadingRecorded':
      return [`data ${JSON.stringify(event.data)}`]
    case 'JobFailed':
      return [...base, `category ${event.category ?? 'unclassified'}, seen by ${event.observedBy}`]
    case 'RerunAccepted':
    case 'RerunRejected':
      return [...base, `budget used ${event.used}/${event.budget}`]
    default:
      return base
  }
}

/**
 * Folds a run stream's events into a human-readable trace: each decision, the config version it used,
 * every rule's verdict and reason, and the sensors an evaluation saw. Pure; the CLI and API print it.
 */
export const explainRun = (events: ReadonlyArray<RunEvent>, run: RunKey): ReadonlyArray<ExplainStep> =>
  events.map((event) => ({ at: event.at, title: titleOf(event), lines: linesOf(event, run) }))

/** The trace as text, one step per paragraph. */
export const formatExplanation = (steps: ReadonlyArray<ExplainStep>): string =>
  steps
    .map((step) => [`${step.at}  ${step.title}`, ...step.lines.map((line) => `    ${line}`)].join('\n'))
    .join('\n')
