import { compactPeriod, type ExecutionPeriod, parseExecutionPeriod } from './execution-period.ts'

/** A sensor key split at its period suffix: `orders#2026-03-03T07` → base `orders`, that period. */
export interface SensorKeyParts {
  readonly base: string
  readonly period?: ExecutionPeriod
}

/** Splits a sensor key into its base and, when the part after the last `#` is a period, that period (R2). */
export const splitSensorKey = (key: string): SensorKeyParts => {
  const at = key.lastIndexOf('#')
  if (at <= 0) return { base: key }
  const period = parseExecutionPeriod(key.slice(at + 1))
  return period === undefined ? { base: key } : { base: key.slice(0, at), period }
}

/**
 * Whether a sensor key is the one a rule or trigger key names (R2): the same key, or the key followed by
 * `#<period>` in dashed or compact form. Returns the period suffix when there is one; prefix matching is gone.
 */
export const matchSensorKey = (
  ruleKey: string,
  sensorKey: string,
): { readonly matches: false } | { readonly matches: true; readonly period?: ExecutionPeriod } => {
  if (ruleKey === sensorKey) return { matches: true }
  const parts = splitSensorKey(sensorKey)
  return parts.period !== undefined && parts.base === ruleKey
    ? { matches: true, period: parts.period }
    : { matches: false }
}

/**
 * The sensors as the rules of one period see them (spec §3.4, R2): every sensor as it is, plus, for each
 * `<base>#<period>` row of exactly this period, `<base>` mapped to that row. A per-period row wins over a
 * plain `<base>` row; the dashed spelling wins over the compact one. Rows of other periods are not aliased.
 */
export const sensorsForPeriod = <Data>(
  sensors: Readonly<Record<string, Data>>,
  period: ExecutionPeriod,
): Readonly<Record<string, Data>> => {
  const dashed = `#${period}`
  const compact = `#${compactPeriod(period)}`
  const aliases: Record<string, Data> = {}
  const fromDashed = new Set<string>()
  for (const [key, data] of Object.entries(sensors)) {
    if (key.endsWith(dashed) && key.length > dashed.length) {
      const base = key.slice(0, -dashed.length)
      aliases[base] = data
      fromDashed.add(base)
    } else if (key.endsWith(compact) && key.length > compact.length) {
      const base = key.slice(0, -compact.length)
      if (!fromDashed.has(base)) aliases[base] = data
    }
  }
  return { ...sensors, ...aliases }
}
