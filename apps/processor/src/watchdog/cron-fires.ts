import { instantOf, periodOfCronFire, type ResolvedSchedule, type RunKey } from '@interlock/domain'
import { cronBrackets } from './cron-brackets.ts'
import type { WatchedPipeline } from './watchdog-check.ts'

// Cron schedules (C4): every fire is a timer on the run stream of the period it opens, carrying `FireCron`.
// The scan keeps the next fires of every cron schedule queued, so fires survive restarts and follow config
// changes; a fire whose schedule no longer produces it is dropped when it falls due (`isCurrentFire`).

/** The prefix of a cron fire's timer id: `cron/<fireAt>`. */
export const CRON_TIMER_PREFIX = 'cron/'
/** A schedule never gets more fires queued ahead than this (a every-minute cron and a long scan interval). */
export const MAX_FIRES_AHEAD = 60

/** One cron fire: the run it opens and when. */
export interface CronFire {
  readonly run: RunKey
  readonly fireAt: number
  readonly timerId: string
}

export const cronTimerId = (fireAt: number): string => `${CRON_TIMER_PREFIX}${instantOf(fireAt)}`

const fireOf = (pipelineId: string, schedule: ResolvedSchedule, cron: string, fireAt: number): CronFire => ({
  run: {
    pipelineId,
    scheduleId: schedule.name,
    period: periodOfCronFire(cron, schedule.timezone, fireAt),
  },
  fireAt,
  timerId: cronTimerId(fireAt),
})

/**
 * The fires of a pipeline's cron schedules that must be queued at `now`: every fire up to `until`, and at
 * least the next one of each schedule however far it is.
 */
export const cronFiresAhead = (
  pipeline: WatchedPipeline,
  now: number,
  until: number,
): ReadonlyArray<CronFire> =>
  pipeline.schedules.flatMap((schedule) => {
    const cron = schedule.cron
    if (cron === undefined) return []
    const fires: CronFire[] = []
    let fireAt = cronBrackets.next(cron, schedule.timezone, now)
    while (
      fireAt !== undefined &&
      fires.length < MAX_FIRES_AHEAD &&
      (fires.length === 0 || fireAt <= until)
    ) {
      fires.push(fireOf(pipeline.pipelineId, schedule, cron, fireAt))
      fireAt = cronBrackets.next(cron, schedule.timezone, fireAt)
    }
    return fires
  })

/** The fire that follows `fireAt` on the same schedule, if the schedule has a cron. */
export const nextFireOf = (
  pipeline: Pick<WatchedPipeline, 'pipelineId' | 'schedules'>,
  scheduleId: string,
  fireAt: number,
): CronFire | undefined => {
  const schedule = pipeline.schedules.find((candidate) => candidate.name === scheduleId)
  const cron = schedule?.cron
  if (schedule === undefined || cron === undefined) return undefined
  const next = cronBrackets.next(cron, schedule.timezone, fireAt)
  return next === undefined ? undefined : fireOf(pipeline.pipelineId, schedule, cron, next)
}

/**
 * Does the pipeline's current config still fire at `fireAt` for `run`? A fire queued under an older cron
 * expression or zone is not (C4: the config at the fire decides).
 */
export const isCurrentFire = (
  pipeline: Pick<WatchedPipeline, 'schedules'>,
  run: RunKey,
  fireAt: number,
): boolean => {
  const schedule = pipeline.schedules.find((candidate) => candidate.name === run.scheduleId)
  const cron = schedule?.cron
  if (schedule === undefined || cron === undefined) return false
  return (
    cronBrackets.previous(cron, schedule.timezone, fireAt) === fireAt &&
    periodOfCronFire(cron, schedule.timezone, fireAt) === run.period
  )
}
