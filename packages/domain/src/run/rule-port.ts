import { DateTime } from 'luxon'
import { deadlineParts } from '../config/clock-time.ts'
import type { PipelineConfig } from '../config/pipeline-config.ts'
import type { PostRunConfig } from '../config/post-run-config.ts'
import type { SlaConfig } from '../config/sla-config.ts'
import type { ValidationMode } from '../config/validation-config.ts'
import type { RuleLike, TriggerCondition } from '../config/validation-rule.ts'
import { compileCron } from '../cron/cron-expression.ts'
import { evaluateRule, evaluateRules, parseTimestamp, type RuleResult, toNumber } from '../rules/index.ts'
import { epochMillisOf, type Instant, instantOf } from '../shared/instant.ts'
import type { SensorData, SensorSnapshot } from './events/common.ts'
import type { RunSchedule } from './policy.ts'

// The run decider's one doorway to the rule engine, the calendar and the SLA arithmetic: every rule,
// date or deadline question it asks goes through a function here.

type StoredSensors = Readonly<Record<string, { readonly data: SensorData; readonly recordedAt: Instant }>>

/** The period's compact form (`2026-03-03T07` → `20260303T07`). */
const compactPeriod = (period: string): string => period.replaceAll('-', '')

/**
 * Does sensor key `sensorKey` belong to rule key `ruleKey` for this period (R2)? Exactly, or as
 * `<ruleKey>#<period>` in dashed or compact form; never by prefix.
 */
export const sensorMatchesKey = (ruleKey: string, sensorKey: string, period: string): boolean =>
  sensorKey === ruleKey ||
  sensorKey === `${ruleKey}#${period}` ||
  sensorKey === `${ruleKey}#${compactPeriod(period)}`

/**
 * The sensors as rules see them for a period (R2): a per-period reading stands for its base key and wins
 * over a plain one; when both a dashed and a compact reading exist, the dashed one wins.
 */
export const sensorsForPeriod = (sensors: StoredSensors, period: string): Record<string, SensorData> => {
  const view: Record<string, SensorData> = {}
  const rank: Record<string, number> = {}
  const dashed = `#${period}`
  const compact = `#${compactPeriod(period)}`
  for (const [key, reading] of Object.entries(sensors)) {
    const [base, level] = key.endsWith(dashed)
      ? [key.slice(0, -dashed.length), 2]
      : key.endsWith(compact)
        ? [key.slice(0, -compact.length), 1]
        : key.includes('#')
          ? [undefined, 0]
          : [key, 0]
    if (base === undefined) continue
    if ((rank[base] ?? -1) < level) {
      view[base] = reading.data
      rank[base] = level
    }
  }
  return view
}

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

/** The period's calendar date (`YYYY-MM-DD`) and hour when hourly. */
const periodParts = (period: string): { readonly date: string; readonly hour: number | undefined } => ({
  date: period.slice(0, 10),
  hour: period.length > 10 ? Number(period.slice(11, 13)) : undefined,
})

/** Is the execution period excluded by the schedule's calendar (C7: judged on the period's date)? */
export const isPeriodExcluded = (_config: PipelineConfig, schedule: RunSchedule, period: string): boolean => {
  const exclude = schedule.exclude
  if (exclude === undefined) return false
  const { date } = periodParts(period)
  if (exclude.dates.some((excluded) => excluded === date)) return true
  if (!exclude.weekends) return false
  const weekday = DateTime.fromISO(date, { zone: 'UTC' }).weekday
  return weekday === 6 || weekday === 7
}

/**
 * The absolute SLA instants of a period (L4): `:MM` on an hourly period is minute MM of hour H+1; `HH:MM`
 * on a cron pipeline is the first HH:MM at or after the period's cron fire; on a sensor-triggered daily
 * pipeline it is HH:MM on the day after the period. All in `sla.timezone`; no roll forward from `now`.
 */
export const absoluteSlaOf = (
  _config: PipelineConfig,
  schedule: RunSchedule,
  period: string,
): { readonly warningAt: Instant | null; readonly breachAt: Instant } | undefined => {
  const sla = schedule.sla
  if (sla?.deadline === undefined) return undefined
  const zone = sla.timezone ?? schedule.timezone
  const parts = deadlineParts(sla.deadline)
  const { date, hour } = periodParts(period)
  const day = DateTime.fromISO(date, { zone })
  let breach: DateTime
  if (parts.kind === 'hourly') {
    breach = day.set({ hour: hour ?? 0, minute: parts.minute }).plus({ hours: 1 })
  } else if (schedule.cron !== undefined) {
    const cron = compileCron(schedule.cron, zone)
    const start = day.set({ hour: hour ?? 0 })
    const fire = typeof cron === 'string' ? null : cron.nextRun(new Date(start.toMillis() - 1))
    const fired = fire === null ? start : DateTime.fromJSDate(fire, { zone })
    breach = fired.set({ hour: parts.hour, minute: parts.minute, second: 0, millisecond: 0 })
    if (breach < fired) breach = breach.plus({ days: 1 })
  } else if (hour !== undefined) {
    breach = day.set({ hour: parts.hour, minute: parts.minute })
    if (breach.toMillis() < day.set({ hour }).toMillis()) breach = breach.plus({ days: 1 })
  } else {
    breach = day.plus({ days: 1 }).set({ hour: parts.hour, minute: parts.minute })
  }
  const breachAt = instantOf(breach.toMillis())
  const expected = sla.expectedDuration
  return {
    warningAt: expected === undefined ? null : instantOf(breach.toMillis() - expected.millis),
    breachAt,
  }
}

/** Relative SLA instants from the first sensor arrival (§6.1, L5): warning at expectedDuration before, else 75 %. */
export const relativeSlaOf = (
  sla: SlaConfig,
  arrivedAt: Instant,
): { readonly warningAt: Instant | null; readonly breachAt: Instant } => {
  const max = sla.maxDuration?.millis ?? 0
  const breach = epochMillisOf(arrivedAt) + max
  const lead = sla.expectedDuration?.millis ?? max / 4
  return { warningAt: instantOf(Math.round(breach - lead)), breachAt: instantOf(breach) }
}
