import { accept, type Decision, reject } from '../shared/decision.ts'
import type { FireCron, RecordSensorReading } from './commands.ts'
import { decideDryRunPostRun, decideDryRunTrigger } from './decide-dry-run.ts'
import { openPeriod } from './decide-period-start.ts'
import { rerunDecision } from './decide-rerun.ts'
import { applyAll, type Decide, event, stamp } from './decide-support.ts'
import type { SensorData } from './events/common.ts'
import type { RunEvent } from './events.ts'
import { postRunOf } from './policy.ts'
import { PipelineIsPaused, type RunRejection } from './rejections.ts'
import {
  driftOf,
  evaluateRuleSet,
  isPeriodExcluded,
  matchingRuleKey,
  sensorMatchesKey,
  triggerConditionPasses,
} from './rule-port.ts'
import type { RunState } from './state.ts'

/**
 * A trigger-key sensor whose condition passed (S6–S9): calendar on the period, dry-run, then either a
 * new attempt (no run yet; deferred before the schedule's `after`, C14) or the late-data check (§3.4).
 */
const onTrigger = (state: RunState, ctx: Decide, key: string): ReadonlyArray<RunEvent> => {
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) {
    return [event('TriggerExcluded', { ...stamp(ctx), source: 'sensor', sensorKey: key })]
  }
  if (ctx.config.dryRun) return decideDryRunTrigger(state, ctx, key)
  if (state.lifecycle.status === 'Idle' || state.lifecycle.status === 'Waiting') {
    return openPeriod(state, ctx, 'sensor', key)
  }
  if (state.lifecycle.status === 'Completed' && state.latestJobLog?.entry === 'success') {
    const late = event('LateDataArrived', {
      ...stamp(ctx),
      sensorKey: key,
      completedAt: state.latestJobLog.at,
    })
    return [late, ...rerunDecision(applyAll(state, [late]), ctx, `late-data@${ctx.at}`, 'late-data')]
  }
  return []
}

/** A post-run sensor (§4.2, P1–P8): drift against the baseline, or the post-run rules after success. */
const onPostRun = (state: RunState, ctx: Decide, key: string, data: SensorData): ReadonlyArray<RunEvent> => {
  const postRun = postRunOf(ctx.config)
  if (postRun === undefined) return []
  const ruleKey = matchingRuleKey(postRun.rules, key, ctx.run.period)
  if (ruleKey === undefined) return []
  if (ctx.config.dryRun) return decideDryRunPostRun(state, ctx, key, ruleKey, data)
  const status = state.lifecycle.status
  const live = status === 'Evaluating' || status === 'Triggering' || status === 'Polling'
  if (!live && status !== 'Completed') return []
  const slot = state.baseline?.[ruleKey]
  const drift = slot === undefined ? undefined : driftOf(postRun, slot, data)
  if (drift !== undefined) {
    const detected = event('PostRunDriftDetected', {
      ...stamp(ctx),
      sensorKey: key,
      ruleKey,
      driftField: postRun.driftField,
      driftThreshold: postRun.driftThreshold,
      ...drift,
      inflight: live,
    })
    if (live) return [detected]
    if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) {
      return [detected, event('DriftRerunBlockedByCalendar', { ...stamp(ctx), sensorKey: key })]
    }
    const requested = event('DriftRerunRequested', {
      ...stamp(ctx),
      sensorKey: key,
      previous: drift.previous,
      current: drift.current,
    })
    return [
      detected,
      requested,
      ...rerunDecision(applyAll(state, [detected, requested]), ctx, `data-drift@${ctx.at}`, 'data-drift'),
    ]
  }
  if (live) return []
  const evaluation = evaluateRuleSet('ALL', postRun.rules, state.sensors, ctx.now, ctx.run.period)
  return [
    event('PostRunValidated', {
      ...stamp(ctx),
      sensorKey: key,
      passed: evaluation.passed,
      ruleResults: evaluation.results,
      sensorSnapshot: evaluation.snapshot,
    }),
  ]
}

/**
 * A sensor reading of this period. It is always recorded; unless the pipeline is paused, a reading on the
 * trigger key may open the period (or count as late data), one on a post-run key is checked for drift.
 */
export const decideRecordSensorReading = (
  command: RecordSensorReading,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const recorded = event('SensorReadingRecorded', { at: ctx.at, key: command.key, data: command.data })
  if (ctx.paused) return accept([recorded])
  const after = applyAll(state, [recorded])
  const trigger = ctx.schedule.trigger
  if (trigger !== undefined && sensorMatchesKey(trigger.key, command.key, ctx.run.period)) {
    if (!triggerConditionPasses(trigger, command.data, ctx.now)) return accept([recorded])
    return accept([recorded, ...onTrigger(after, ctx, command.key)])
  }
  return accept([recorded, ...onPostRun(after, ctx, command.key, command.data)])
}

/** The cron fired for this period (C4): it opens the period like a passing trigger sensor would. */
export const decideFireCron = (
  _command: FireCron,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  if (ctx.paused) return reject(new PipelineIsPaused({ pipelineId: ctx.run.pipelineId, command: 'FireCron' }))
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) {
    return accept([event('TriggerExcluded', { ...stamp(ctx), source: 'cron' })])
  }
  if (ctx.config.dryRun) return accept(decideDryRunTrigger(state, ctx, 'cron'))
  const unopened =
    (state.lifecycle.status === 'Idle' && state.attempts === 0) || state.lifecycle.status === 'Waiting'
  return accept(unopened ? openPeriod(state, ctx, 'cron') : [])
}
