import type { ValidationMode } from '../config/validation-config.ts'
import type { RuleLike } from '../config/validation-rule.ts'
import { durationNanos } from '../duration/duration.ts'
import { formatGoDuration } from '../duration/go-duration.ts'
import { toNumber } from './decimal.ts'
import type { RuleResult, RuleSetResult } from './rule-result.ts'
import { parseTimestamp } from './timestamp.ts'
import { showValue, typedEquals } from './typed-equals.ts'

/** The data of one sensor reading: the map rules read (R1). */
export type SensorFields = Readonly<Record<string, unknown>>

/** Sensor data by key, as a rule set sees it (after per-period matching, see `sensorsForPeriod`). */
export type SensorsByKey = Readonly<Record<string, SensorFields | null | undefined>>

const NANOS_PER_MILLI = 1_000_000n

const describe = (rule: RuleLike): Pick<RuleResult, 'key' | 'check' | 'field' | 'expected'> => {
  const expected = rule.check === 'age_lt' || rule.check === 'age_gt' ? rule.value.text : rule.value
  return {
    key: rule.key,
    check: rule.check,
    ...(rule.field !== undefined && rule.field !== '' ? { field: rule.field } : {}),
    ...(rule.check === 'exists' ? {} : { expected: expected === undefined ? null : expected }),
  }
}

const compare = (check: 'gt' | 'gte' | 'lt' | 'lte', actual: number, threshold: number): boolean => {
  switch (check) {
    case 'gt':
      return actual > threshold
    case 'gte':
      return actual >= threshold
    case 'lt':
      return actual < threshold
    case 'lte':
      return actual <= threshold
  }
}

/**
 * One rule against one sensor's data at instant `now` (epoch ms). Checks, in this order: the sensor exists,
 * the field exists, then the operator; the first failure gives the reason (spec §2.4, R4–R7).
 */
export const evaluateRule = (
  rule: RuleLike,
  data: SensorFields | null | undefined,
  now: number,
): RuleResult => {
  const base = describe(rule)
  const fail = (reason: string, actual?: unknown): RuleResult => ({
    ...base,
    ...(actual !== undefined ? { actual } : {}),
    passed: false,
    reason,
  })
  if (data === null || data === undefined) return fail('sensor key does not exist')
  const field = rule.field ?? ''
  if (rule.check === 'exists' && field === '') return { ...base, passed: true }
  if (!Object.hasOwn(data, field)) return fail(`field "${field}" not found in sensor data`)
  const actual = data[field]
  const pass = (): RuleResult => ({ ...base, actual, passed: true })
  switch (rule.check) {
    case 'exists':
      return pass()
    case 'equals': {
      const expected = rule.value === undefined ? null : rule.value
      return typedEquals(expected, actual)
        ? pass()
        : fail(`expected ${showValue(expected)}, got ${showValue(actual)}`, actual)
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const value = toNumber(actual)
      if (value === undefined)
        return fail(`field "${field}" value ${showValue(actual)} is not numeric`, actual)
      const threshold = toNumber(rule.value)
      if (threshold === undefined) return fail(`rule value ${showValue(rule.value)} is not numeric`, actual)
      return compare(rule.check, value, threshold)
        ? pass()
        : fail(`${value} ${rule.check} ${threshold} is false`, actual)
    }
    case 'age_lt':
    case 'age_gt': {
      const at = parseTimestamp(actual)
      if (at === undefined) {
        return fail(
          `field "${field}" value ${showValue(actual)} is not a valid RFC3339 timestamp or epoch number (seconds below 1e12, else milliseconds)`,
          actual,
        )
      }
      const age = BigInt(Math.round(now - at)) * NANOS_PER_MILLI
      const threshold = durationNanos(rule.value)
      const shown = `age ${formatGoDuration(age)}`
      if (rule.check === 'age_lt') {
        return age < threshold
          ? pass()
          : fail(`${shown} exceeds threshold ${formatGoDuration(threshold)}`, actual)
      }
      return age > threshold
        ? pass()
        : fail(`${shown} does not exceed threshold ${formatGoDuration(threshold)}`, actual)
    }
  }
}

/**
 * Every rule against the sensors at one instant `now` (epoch ms; never the clock). `results` has one entry
 * per rule in rule order; ALL passes when every rule passes (vacuously with none), ANY when at least one does.
 */
export const evaluateRules = (
  validation: { readonly trigger: ValidationMode; readonly rules: ReadonlyArray<RuleLike> },
  sensors: SensorsByKey,
  now: number,
): RuleSetResult => {
  const results = validation.rules.map((rule) =>
    evaluateRule(rule, Object.hasOwn(sensors, rule.key) ? sensors[rule.key] : undefined, now),
  )
  const passed =
    validation.trigger === 'ANY'
      ? results.some((result) => result.passed)
      : results.every((result) => result.passed)
  return { passed, results }
}
