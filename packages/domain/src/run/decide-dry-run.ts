import type { FailureCategory } from '../shared/failure-category.ts'
import { epochMillisOf, instantOf } from '../shared/instant.ts'
import { circuitBreakerOf } from './decide-rerun.ts'
import { type Decide, event, stamp } from './decide-support.ts'
import type { SensorData } from './events/common.ts'
import type { RunEvent } from './events.ts'
import { postRunOf, rerunBudgetOf, retryBudgetOf, validationOf } from './policy.ts'
import { absoluteSlaOf, captureBaseline, driftOf, evaluateRuleSet, isPeriodExcluded } from './rule-port.ts'
import { JOB_FAIL_RETRY, type RunState } from './state.ts'

// Dry-run (lifecycle §7, ruling L10): observe and record DRY_RUN_* events; never start, lock, retry or
// rerun anything. The would-trigger observation is the period's marker.

const SECONDS = 1_000

/** A passing trigger (sensor or cron) for a dry-run pipeline (§7.1–7.2). */
export const decideDryRunTrigger = (
  state: RunState,
  ctx: Decide,
  sensorKey: string,
): ReadonlyArray<RunEvent> => {
  if (state.dryRunTriggeredAt !== null) {
    return [
      event('DryRunLateData', {
        ...stamp(ctx),
        sensorKey,
        triggeredAt: state.dryRunTriggeredAt,
        lateByMs: Math.max(0, ctx.now - epochMillisOf(state.dryRunTriggeredAt)),
      }),
    ]
  }
  const { mode, rules } = validationOf(ctx.config)
  const evaluation = evaluateRuleSet(mode, rules, state.sensors, ctx.now, ctx.run.period)
  if (!evaluation.passed) return []
  const would = event('DryRunWouldTrigger', {
    ...stamp(ctx),
    sensorKey,
    rulesEvaluated: rules.length,
    ruleResults: evaluation.results,
    sensorSnapshot: evaluation.snapshot,
  })
  const baseline =
    postRunOf(ctx.config) === undefined
      ? undefined
      : captureBaseline(ctx.config, state.sensors, ctx.run.period)
  const captured =
    baseline === undefined
      ? []
      : [event('PostRunBaselineCaptured', { ...stamp(ctx), attemptId: null, baseline })]
  const expected = ctx.schedule.sla?.expectedDuration
  if (expected === undefined) {
    return [
      would,
      ...captured,
      event('DryRunCompleted', { ...stamp(ctx), triggeredAt: ctx.at, slaStatus: 'n/a' }),
    ]
  }
  const estimatedCompletion = instantOf(ctx.now + expected.millis)
  const instants =
    ctx.schedule.sla?.deadline === undefined
      ? undefined
      : absoluteSlaOf(ctx.config, ctx.schedule, ctx.run.period)
  const deadline =
    instants === undefined
      ? {}
      : {
          deadlineAt: instants.breachAt,
          marginSeconds: Math.trunc(
            (epochMillisOf(instants.breachAt) - epochMillisOf(estimatedCompletion)) / SECONDS,
          ),
        }
  const status = instants !== undefined && estimatedCompletion > instants.breachAt ? 'breach' : 'met'
  return [
    would,
    ...captured,
    event('DryRunSlaProjected', {
      ...stamp(ctx),
      triggeredAt: ctx.at,
      estimatedCompletion,
      expectedDuration: expected.text,
      status,
      ...deadline,
    }),
    event('DryRunCompleted', {
      ...stamp(ctx),
      triggeredAt: ctx.at,
      slaStatus: status,
      estimatedCompletion,
      ...(instants !== undefined ? { deadlineAt: instants.breachAt } : {}),
    }),
  ]
}

/** A post-run sensor for a dry-run pipeline: drift against the dry-run baseline only (§7.3). */
export const decideDryRunPostRun = (
  state: RunState,
  ctx: Decide,
  sensorKey: string,
  ruleKey: string,
  data: SensorData,
): ReadonlyArray<RunEvent> => {
  const postRun = postRunOf(ctx.config)
  const slot = state.baseline?.[ruleKey]
  if (state.dryRunTriggeredAt === null || postRun === undefined || slot === undefined) return []
  const drift = driftOf(postRun, slot, data)
  if (drift === undefined) return []
  return [
    event('DryRunDriftDetected', {
      ...stamp(ctx),
      sensorKey,
      ruleKey,
      driftField: postRun.driftField,
      driftThreshold: postRun.driftThreshold,
      ...drift,
    }),
  ]
}

/** A rerun request for a dry-run pipeline (§7.4). */
export const decideDryRunRerun = (
  state: RunState,
  ctx: Decide,
  requestId: string,
  reason: string,
): ReadonlyArray<RunEvent> => {
  const { budget, counts } = rerunBudgetOf(ctx.config, reason)
  const used = state.reruns.filter((record) => counts.includes(record.reason)).length
  const fields = { ...stamp(ctx), requestId, reason, used, budget }
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) {
    return [event('DryRunRerunRejected', { ...fields, rule: 'excluded by calendar' })]
  }
  if (used >= budget) return [event('DryRunRerunRejected', { ...fields, rule: 'limit exceeded' })]
  const breaker = circuitBreakerOf(state)
  if (breaker === 'rejected') return [event('DryRunRerunRejected', { ...fields, rule: 'circuit breaker' })]
  return [
    event('DryRunWouldRerun', {
      ...fields,
      circuitBreaker: breaker === 'skipped (no job history)' ? breaker : 'passed',
    }),
  ]
}

/** A job failure reported for a dry-run pipeline (§7.5): the budget of its category, as live (F3). */
export const decideDryRunJobFailure = (
  state: RunState,
  ctx: Decide,
  category: FailureCategory | undefined,
): ReadonlyArray<RunEvent> => {
  const retries = state.reruns.filter((record) => record.reason === JOB_FAIL_RETRY).length
  const maxRetries = retryBudgetOf(ctx.config, category)
  if (retries >= maxRetries) {
    return [event('DryRunRetryExhausted', { ...stamp(ctx), retries, maxRetries, reason: 'limit exceeded' })]
  }
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) {
    return [
      event('DryRunRetryExhausted', { ...stamp(ctx), retries, maxRetries, reason: 'excluded by calendar' }),
    ]
  }
  return [event('DryRunWouldRetry', { ...stamp(ctx), retries, maxRetries })]
}
