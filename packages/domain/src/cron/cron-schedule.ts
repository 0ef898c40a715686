import type { ExecutionPeriod } from '../period/execution-period.ts'
import { localDateTime } from '../sla/wall-time.ts'
import { compileCron } from './cron-expression.ts'

const HOUR_MS = 3_600_000

/** Compiled schedules by expression and zone: the watchdog asks for every cron pipeline on every scan. */
const schedules = new Map<string, Exclude<ReturnType<typeof compileCron>, string>>()
const MAX_SCHEDULES = 10_000

const compiled = (cron: string, timezone: string) => {
  const key = `${cron}|${timezone}`
  const known = schedules.get(key)
  if (known !== undefined) return known
  const schedule = compileCron(cron, timezone)
  if (typeof schedule === 'string') throw new Error(`${schedule}; configs are validated, so this is a bug`)
  if (schedules.size >= MAX_SCHEDULES) schedules.clear()
  schedules.set(key, schedule)
  return schedule
}

/**
 * The first fire of `cron` in `timezone` strictly after `after` (epoch ms), DST-correct: a fire time skipped
 * by spring-forward runs at the first valid time after the gap, a repeated one runs once (croner's rule).
 */
export const nextCronFire = (cron: string, timezone: string, after: number): number | undefined =>
  compiled(cron, timezone).nextRun(new Date(after))?.getTime()

/** The last fire of `cron` in `timezone` at or before `atOrBefore` (epoch ms). */
export const previousCronFire = (cron: string, timezone: string, atOrBefore: number): number | undefined => {
  // croner's previousRuns looks strictly before its reference; a fire exactly at the instant counts here.
  const [fire] = compiled(cron, timezone).previousRuns(1, new Date(atOrBefore + 1))
  return fire?.getTime()
}

/**
 * Whether a cron pipeline's periods are days or hours (C4): hourly when the hour field is anything but a
 * single hour (`*`, `*\/2`, `8-18`, `6,18`), daily otherwise.
 */
export const cronGranularity = (cron: string): 'daily' | 'hourly' => {
  const hourField = cron.trim().split(/\s+/)[1] ?? '*'
  return /^\d{1,2}$/.test(hourField) ? 'daily' : 'hourly'
}

/**
 * The period a cron fire opens (C4), in `timezone`: for a daily cron the fire's local date; for an hourly
 * cron the local hour before the fire, the hour whose data is complete (a fire at 14:05 opens `…T13`, as
 * the original's hourly dates and the H+1 deadline rule assume).
 */
export const periodOfCronFire = (cron: string, timezone: string, fireAt: number): ExecutionPeriod => {
  if (cronGranularity(cron) === 'daily')
    return localDateTime(fireAt, timezone).slice(0, 10) as ExecutionPeriod
  return localDateTime(fireAt - HOUR_MS, timezone).slice(0, 13) as ExecutionPeriod
}
