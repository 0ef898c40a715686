import {
  addDays,
  evaluateRule,
  instantOf,
  matchSensorKey,
  periodDate,
  type RunKey,
  resolveExecutionPeriod,
  todayIn,
} from '@interlock/domain'
import { Either } from 'effect'
import type { LatestSensorRow, RunRow } from './sql.ts'
import {
  type CheckCommand,
  commandIdOf,
  type KeyedCheck,
  neverRan,
  type WatchedPipeline,
} from './watchdog-check.ts'

// The checks found from rows of the projections: stale runs (§5.2), reconciliation from stored trigger
// sensors (§5.5), missing post-run sensors (§5.8) and the relative SLA backstop (§5.9).

/** Periods reconciliation and the post-run and relative SLA checks look back over (D11, D12). */
export const LOOKBACK_DAYS = 3

const runOf = (row: RunRow): RunKey => ({
  pipelineId: row.pipelineId,
  scheduleId: row.scheduleId,
  period: row.period,
})

/** §5.2: a live run whose lock expired; one command per attempt. */
export const staleRunCheck = (row: RunRow): CheckCommand | undefined => {
  if (row.lockExpiresAt === null || row.currentAttemptId === null) return undefined
  const run = runOf(row)
  return {
    check: 'stale-run',
    run,
    command: { _tag: 'CheckStaleRun' },
    commandId: commandIdOf('stale-run', run, row.currentAttemptId),
    dueAt: row.lockExpiresAt,
  }
}

/** §5.8 (D12): a succeeded run with a baseline and no post-run reading, `postRun.sensorTimeout` after it finished. */
export const postRunCheck = (pipeline: WatchedPipeline, row: RunRow): CheckCommand | undefined => {
  const postRun = pipeline.config.postRun
  if (postRun === undefined || postRun.rules.length === 0) return undefined
  if (row.status !== 'succeeded' || row.postRunStatus !== 'baseline-captured' || row.finishedAt === null)
    return undefined
  const dueAt = row.finishedAt + postRun.sensorTimeout.millis
  const run = runOf(row)
  return {
    check: 'post-run',
    run,
    command: { _tag: 'CheckPostRunSensors' },
    commandId: commandIdOf('post-run', run, instantOf(row.finishedAt)),
    dueAt,
  }
}

/** §5.9 (L5): an open run past its relative breach (stored, or first arrival + `maxDuration`) with no breach raised. */
export const relativeSlaCheck = (pipeline: WatchedPipeline, row: RunRow): CheckCommand | undefined => {
  const schedule = pipeline.schedules.find((candidate) => candidate.name === row.scheduleId)
  const maxDuration = schedule?.sla?.maxDuration
  if (maxDuration === undefined || row.firstSensorAt === null) return undefined
  if (row.relativeSlaStatus === 'breached' || row.relativeSlaStatus === 'met') return undefined
  const breachAt = row.relativeSlaBreachAt ?? row.firstSensorAt + maxDuration.millis
  const run = runOf(row)
  return {
    check: 'relative-sla',
    run,
    command: { _tag: 'CheckRelativeSla' },
    commandId: commandIdOf('relative-sla', run, instantOf(breachAt)),
    dueAt: breachAt,
  }
}

/**
 * §5.5 (D11): a stored trigger reading whose condition holds now, for a recent, non-excluded-looking period
 * in which nothing ran. The period is the one the reading was recorded in (its `date`/`hour`, else the day
 * it was recorded, in the schedule's zone).
 */
export const reconcileChecks = (
  pipeline: WatchedPipeline,
  sensor: LatestSensorRow,
  now: number,
): ReadonlyArray<KeyedCheck> =>
  pipeline.schedules.flatMap((schedule): ReadonlyArray<KeyedCheck> => {
    const trigger = schedule.trigger
    if (trigger === undefined) return []
    const match = matchSensorKey(trigger.key, sensor.key)
    if (!match.matches) return []
    const period = resolveExecutionPeriod(sensor.data, sensor.recordedAt, schedule.timezone)
    if (Either.isLeft(period)) return []
    if (match.period !== undefined && match.period !== period.right) return []
    const oldest = addDays(todayIn(now, schedule.timezone), -LOOKBACK_DAYS)
    if (periodDate(period.right) < oldest) return []
    if (!evaluateRule(trigger, sensor.data, now).passed) return []
    const run: RunKey = { pipelineId: pipeline.pipelineId, scheduleId: schedule.name, period: period.right }
    return [
      {
        check: 'reconcile',
        run,
        command: { _tag: 'ReconcileTrigger' },
        commandId: commandIdOf('reconcile', run, `${sensor.key}@${instantOf(sensor.recordedAt)}`),
        dueAt: sensor.recordedAt,
        applies: neverRan,
      },
    ]
  })
