import { Either } from 'effect'
import type { Calendar } from '../calendar/calendar.ts'
import { periodExclusion } from '../calendar/period-exclusion.ts'
import { clockTimeParts } from '../config/clock-time.ts'
import type { PipelineConfig } from '../config/pipeline-config.ts'
import type { PostRunConfig } from '../config/post-run-config.ts'
import type { SlaConfig } from '../config/sla-config.ts'
import type { ValidationMode } from '../config/validation-config.ts'
import type { RuleLike, TriggerCondition } from '../config/validation-rule.ts'
import { nextCronFire } from '../cron/cron-schedule.ts'
import { type ExecutionPeriod, periodDate, periodHour } from '../period/execution-period.ts'
import { matchSensorKey, sensorsForPeriod as periodView } from '../period/sensors-for-period.ts'
import { evaluateRule, evaluateRules, parseTimestamp, type RuleResult, toNumber } from '../rules/index.ts'
import { epochMillisOf, type Instant, instantOf } from '../shared/instant.ts'
import { absoluteSlaDeadline, relativeSlaDeadline } from '../sla/sla-deadline.ts'
import { wallTimeToInstant } from '../sla/wall-time.ts'
import type { SensorData, SensorSnapshot } from './events/common.ts'
import type { RunSchedule } from './policy.ts'

// The run decider's one doorway to the rule engine, the calendar and the SLA arithmetic: every rule,
// date or deadline question it asks goes through a function here.

type StoredSensors = Readonly<Record<string, { readonly data: SensorData; readonly recordedAt: Instant }>>

/**
 * Does sensor key `sensorKey` belong to rule key `ruleKey` for this period (R2)? Exactly, or as
 * `<ruleKey>#<period>` of this very period (dashed or compact); never by prefix.
 */
export const sensorMatchesKey = (ruleKey: string, sensorKey: string, period: string): boolean => {
  const match = matchSensorKey(ruleKey, sensorKey)
  return match.matches && (match.period === undefined || match.period === period)
}

/** The sensors as rules see them for a period (R2, `period/sensors-for-period.ts`). */
export const sensorsForPeriod = (
  sensors: StoredSensors,
  period: string,
): Readonly<Record<string, SensorData>> =>
  periodView(
    Object.fromEntries(Object.entries(sensors).map(([key, reading]) => [key, reading.data])),
    period as ExecutionPeriod,
  )

/** A rule set evaluated at `now`, with the sensors it read (only the keys its rules name). */
export const evaluateRuleSet = (
  mode: ValidationMode,
  rules: ReadonlyArray<RuleLike>,
  sensors: StoredSensors,
  now: number,
  period: string,
): {
  readonly passed: boolean
  readonly results: ReadonlyArray<RuleResult>
  readonly snapshot: SensorSnapshot
} => {
  const view = sensorsForPeriod(sensors, period)
  const outcome = evaluateRules({ trigger: mode, rules }, view, now)
  const snapshot: Record<string, SensorData> = {}
  for (const rule of rules) {
    const data = view[rule.key]
    if (data !== undefined) snapshot[rule.key] = data
  }
  return { passed: outcome.passed, results: outcome.results, snapshot }
}

/** The trigger condition against the incoming reading only (S5). */
export const triggerConditionPasses = (trigger: TriggerCondition, data: SensorData, now: number): boolean =>
  evaluateRule(trigger, data, now).passed

/** The first stored trigger-key sensor whose data meets the condition now (reconciliation, §5.5). */
export const storedTriggerSensor = (
  trigger: TriggerCondition,
  sensors: StoredSensors,
  period: string,
  now: number,
): string | undefined =>
  Object.keys(sensors)
    .sort()
    .find((key) => {
      const reading = sensors[key]
      return (
        reading !== undefined &&
        sensorMatchesKey(trigger.key, key, period) &&
        triggerConditionPasses(trigger, reading.data, now)
      )
    })

/** The key of the first post-run rule (config order) a sensor belongs to (§0.4, R2). */
export const matchingRuleKey = (
  rules: ReadonlyArray<RuleLike>,
  sensorKey: string,
  period: string,
): string | undefined => rules.find((rule) => sensorMatchesKey(rule.key, sensorKey, period))?.key

/** The post-run baseline (§4.1): each post-run rule's sensor data, or undefined when none has data. */
export const captureBaseline = (
  config: PipelineConfig,
  sensors: StoredSensors,
  period: string,
): Record<string, SensorData> | undefined => {
  const rules = config.postRun?.rules ?? []
  const view = sensorsForPeriod(sensors, period)
  const baseline: Record<string, SensorData> = {}
  for (const rule of rules) {
    const data = view[rule.key]
    if (data !== undefined) baseline[rule.key] = data
  }
  return Object.keys(baseline).length === 0 ? undefined : baseline
}

/**
 * Drift of `driftField` between a baseline slot and a new reading (§4.3): both values present (zero is a
 * value, BUG-1), `|current − previous| > driftThreshold` strictly.
 */
export const driftOf = (
  postRun: PostRunConfig,
  baseline: SensorData,
  data: SensorData,
): { readonly previous: number; readonly current: number; readonly delta: number } | undefined => {
  const previous = toNumber(baseline[postRun.driftField])
  const current = toNumber(data[postRun.driftField])
  if (previous === undefined || current === undefined) return undefined
  const delta = current - previous
  return Math.abs(delta) > postRun.driftThreshold ? { previous, current, delta } : undefined
}

/**
 * Has data changed since `since` (circuit breaker, §3.3)? Yes when any sensor's `updatedAt` (R5) is later;
 * also yes when no sensor carries an `updatedAt` at all (the breaker cannot prove "unchanged").
 */
export const sensorsChangedSince = (sensors: StoredSensors, since: Instant): boolean => {
  const stamps = Object.values(sensors)
    .map((reading) => parseTimestamp(reading.data.updatedAt))
    .filter((value): value is number => value !== undefined)
  return stamps.length === 0 || stamps.some((value) => value > epochMillisOf(since))
}

/**
 * Did a post-run sensor arrive after `since` (§5.8, D12)? Per-period keys count; a reading counts by its
 * `updatedAt` (R5) or, without one, by when it was recorded.
 */
export const postRunSensorArrivedSince = (
  rules: ReadonlyArray<RuleLike>,
  sensors: StoredSensors,
  period: string,
  since: Instant,
): boolean =>
  Object.entries(sensors).some(([key, reading]) => {
    if (matchingRuleKey(rules, key, period) === undefined) return false
    const updatedAt = parseTimestamp(reading.data.updatedAt)
    return (updatedAt ?? epochMillisOf(reading.recordedAt)) > epochMillisOf(since)
  })

/** Is the execution period excluded by the schedule's calendars (C5–C7: judged on the period's date)? */
export const isPeriodExcluded = (
  _config: PipelineConfig,
  schedule: RunSchedule,
  period: string,
  calendars: ReadonlyArray<Calendar> = [],
): boolean =>
  periodExclusion(
    {
      ...(schedule.exclude !== undefined ? { exclude: schedule.exclude } : {}),
      ...(schedule.include !== undefined ? { include: schedule.include } : {}),
      ...(schedule.calendar !== undefined ? { calendar: schedule.calendar } : {}),
    },
    period as ExecutionPeriod,
    calendars,
  ) !== undefined

/** The cron fire that opens a period (C4): the first fire at or after the period's start, in the schedule's zone. */
const cronFireOf = (schedule: RunSchedule, period: string): number | undefined => {
  if (schedule.cron === undefined) return undefined
  const start = wallTimeToInstant(
    periodDate(period as ExecutionPeriod),
    periodHour(period as ExecutionPeriod) ?? 0,
    0,
    schedule.timezone,
  )
  return nextCronFire(schedule.cron, schedule.timezone, start - 1)
}

/** The absolute SLA instants of a period (L4, `sla/sla-deadline.ts`); undefined without a usable deadline. */
export const absoluteSlaOf = (
  _config: PipelineConfig,
  schedule: RunSchedule,
  period: string,
): { readonly warningAt: Instant | null; readonly breachAt: Instant } | undefined => {
  const sla = schedule.sla
  if (sla?.deadline === undefined) return undefined
  const cronFireAt = cronFireOf(schedule, period)
  const instants = absoluteSlaDeadline({
    period: period as ExecutionPeriod,
    deadline: sla.deadline,
    timezone: sla.timezone ?? schedule.timezone,
    ...(sla.expectedDuration !== undefined ? { expectedDuration: sla.expectedDuration } : {}),
    ...(cronFireAt !== undefined ? { cronFireAt } : {}),
  })
  if (Either.isLeft(instants)) return undefined
  const { breachAt, warningAt } = instants.right
  return { warningAt: warningAt === undefined ? null : instantOf(warningAt), breachAt: instantOf(breachAt) }
}

/** Relative SLA instants from the first sensor arrival (L5): warning at expectedDuration before, else at 75 %. */
export const relativeSlaOf = (
  sla: SlaConfig,
  arrivedAt: Instant,
): { readonly warningAt: Instant | null; readonly breachAt: Instant } => {
  if (sla.maxDuration === undefined) return { warningAt: null, breachAt: arrivedAt }
  const instants = relativeSlaDeadline({
    arrivalAt: epochMillisOf(arrivedAt),
    maxDuration: sla.maxDuration,
    ...(sla.expectedDuration !== undefined ? { expectedDuration: sla.expectedDuration } : {}),
  })
  return { warningAt: instantOf(instants.warningAt), breachAt: instantOf(instants.breachAt) }
}

/**
 * The instant before which the period does not start (C14, seed 001's `after`): the period's date at the
 * schedule's `after` time, in the schedule's zone (an hourly period uses its date too). Undefined when the
 * schedule has no `after`.
 */
export const periodNotBefore = (schedule: RunSchedule, period: string): number | undefined => {
  if (schedule.after === undefined) return undefined
  const { hour, minute } = clockTimeParts(schedule.after)
  return wallTimeToInstant(periodDate(period as ExecutionPeriod), hour, minute, schedule.timezone)
}
