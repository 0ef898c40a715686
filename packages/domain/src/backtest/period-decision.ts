import type { RuleResult } from '../rules/index.ts'
import type { RunEvent } from '../run/events.ts'
import { evolve, initialRunState, type RunState } from '../run/state.ts'
import type { PeriodDecision, PeriodOutcome } from './report.ts'

/** A rule as reports name it: `orders-count.count gte 1000`. */
export const ruleLabel = (result: RuleResult): string => {
  const target = result.field !== undefined ? `${result.key}.${result.field}` : result.key
  const expected = result.expected !== undefined ? ` ${JSON.stringify(result.expected)}` : ''
  return `${target} ${result.check}${expected}`
}

const outcomeOf = (state: RunState, excluded: boolean, wouldTrigger: boolean): PeriodOutcome => {
  if (wouldTrigger) return 'would-trigger'
  switch (state.lifecycle.status) {
    case 'Completed':
      return 'succeeded'
    case 'Failed':
      return 'failed'
    case 'ValidationExhausted':
      return 'validation-exhausted'
    case 'Evaluating':
    case 'Triggering':
    case 'Polling':
      return 'running'
    case 'Waiting':
      return 'waiting'
    case 'Idle':
      if (state.dryRunTriggeredAt !== null) return 'would-trigger'
      return excluded && state.attempts === 0 ? 'excluded' : 'not-triggered'
  }
}

/**
 * What a run's events decided for its period: outcome, first trigger, blocking rules, exhaustion, calendar,
 * SLA and drift reruns. `wouldTrigger` is the instant a replay stopped at a job the history cannot answer.
 */
export const periodDecisionOf = (
  events: ReadonlyArray<RunEvent>,
  wouldTrigger: string | null = null,
): PeriodDecision => {
  let state = initialRunState
  let triggeredAt: string | null = null
  const blockedBy = new Set<string>()
  let validationExhausted = false
  let excluded = false
  let warning = false
  let breach = false
  let verdict: 'met' | 'breached' | null = null
  let driftReruns = 0
  for (const event of events) {
    state = evolve(state, event)
    switch (event._tag) {
      // A readiness-only pipeline starts no job: the instant it was found ready stands for the trigger.
      case 'JobStartRequested':
      case 'RunCompletedWithoutJob':
      case 'DryRunWouldTrigger':
        triggeredAt ??= event.at
        break
      case 'RunEvaluated':
      case 'RunNowEvaluated':
        if (triggeredAt === null)
          for (const result of event.ruleResults) if (!result.passed) blockedBy.add(ruleLabel(result))
        break
      case 'ValidationExhausted':
        validationExhausted = true
        break
      case 'TriggerExcluded':
      case 'RetryBlockedByCalendar':
      case 'RerunBlockedByCalendar':
      case 'DriftRerunBlockedByCalendar':
        excluded = true
        break
      case 'SlaWarningRaised':
        warning = true
        break
      case 'SlaBreachRaised':
        breach = true
        break
      case 'SlaVerdictReached':
        if (event.verdict === 'breached') breach = true
        verdict = verdict === 'breached' ? verdict : event.verdict
        break
      case 'DriftRerunRequested':
        driftReruns += 1
        break
      default:
        break
    }
  }
  return {
    outcome: outcomeOf(state, excluded, wouldTrigger !== null),
    triggeredAt: triggeredAt ?? wouldTrigger,
    blockedBy: [...blockedBy],
    validationExhausted,
    excluded,
    sla: { warning, breach, verdict },
    driftReruns,
    attempts: state.attempts,
  }
}
