import { PUBLIC_RUN_EVENT_TYPES } from '@interlock/domain'
import { ProcessorConfigInvalid } from '../config.ts'
import type { Alert, AlertSeverity } from './alert.ts'

/**
 * Which alerts a sink receives: every alert (`*`), those of listed severities or types, minus the
 * severities and types listed with `!`. `none` receives nothing.
 */
export interface AlertRoute {
  readonly all: boolean
  readonly severities: ReadonlySet<AlertSeverity>
  readonly types: ReadonlySet<string>
  readonly excludedSeverities: ReadonlySet<AlertSeverity>
  readonly excludedTypes: ReadonlySet<string>
}

const SEVERITIES: ReadonlyArray<AlertSeverity> = ['critical', 'warning', 'success', 'info']

/** Public events that never alert (lifecycle §9.2, Alert "no"): a route naming one would wait for nothing (L9). */
const SILENT_TYPES: ReadonlySet<string> = new Set([
  'JOB_TRIGGERED',
  'VALIDATION_PASSED',
  'POST_RUN_BASELINE_CAPTURED',
  'POST_RUN_PASSED',
])

/** The public event types an alert can have: what a route may name. */
export const ALERT_TYPES: ReadonlyArray<string> = PUBLIC_RUN_EVENT_TYPES.filter(
  (type) => !SILENT_TYPES.has(type),
)

export const EVERY_ALERT: AlertRoute = {
  all: true,
  severities: new Set(),
  types: new Set(),
  excludedSeverities: new Set(),
  excludedTypes: new Set(),
}

/** Whether a sink on this route receives the alert. */
export function routes(route: AlertRoute, alert: Alert): boolean {
  if (route.excludedSeverities.has(alert.severity) || route.excludedTypes.has(alert.type)) return false
  return route.all || route.severities.has(alert.severity) || route.types.has(alert.type)
}

/**
 * Reads a route from `INTERLOCK_ALERT_<SINK>_ROUTE`: comma-separated selectors, each `*`, a severity
 * (`critical`, `warning`, `success`, `info`) or an alert type (`SLA_BREACH`), optionally prefixed with
 * `!` to exclude it; or `none`. A name that is neither is an error naming the variable and the nearest
 * valid name.
 */
export function parseAlertRoute(variable: string, value: string): AlertRoute {
  const selectors = value
    .split(',')
    .map((selector) => selector.trim())
    .filter((selector) => selector !== '')
  if (selectors.length === 0) {
    throw new ProcessorConfigInvalid(
      `${variable} is empty: list *, severities (${SEVERITIES.join(', ')}) or alert types separated by commas, or write none.`,
    )
  }
  if (selectors.length === 1 && selectors[0] === 'none') {
    return { ...EVERY_ALERT, all: false }
  }
  let all = false
  const severities = new Set<AlertSeverity>()
  const types = new Set<string>()
  const excludedSeverities = new Set<AlertSeverity>()
  const excludedTypes = new Set<string>()
  for (const selector of selectors) {
    const excluded = selector.startsWith('!')
    const name = excluded ? selector.slice(1) : selector
    if (name === '*' && !excluded) {
      all = true
    } else if (isSeverity(name)) {
      ;(excluded ? excludedSeverities : severities).add(name)
    } else if (ALERT_TYPES.includes(name)) {
      ;(excluded ? excludedTypes : types).add(name)
    } else {
      throw new ProcessorConfigInvalid(unknownSelector(variable, selector, name))
    }
  }
  return { all, severities, types, excludedSeverities, excludedTypes }
}

const isSeverity = (name: string): name is AlertSeverity =>
  (SEVERITIES as ReadonlyArray<string>).includes(name)

function unknownSelector(variable: string, selector: string, name: string): string {
  const valid = [...SEVERITIES, ...ALERT_TYPES]
  if (SILENT_TYPES.has(name)) {
    return `${variable} names ${name}, a public event that never alerts (lifecycle §9.2); remove it. Alert types are: ${ALERT_TYPES.join(', ')}.`
  }
  if (name === '*' || name === 'none') {
    return `${variable} has "${selector}": ${name} stands alone (* for every alert, none for no alert) and cannot be excluded.`
  }
  const nearest = valid.reduce(
    (best, candidate) => {
      const distance = editDistance(name.toUpperCase(), candidate.toUpperCase())
      return distance < best.distance ? { candidate, distance } : best
    },
    { candidate: valid[0]!, distance: Number.POSITIVE_INFINITY },
  )
  return `${variable} has "${selector}", which is neither a severity nor an alert type; did you mean ${nearest.candidate}? Use *, a severity (${SEVERITIES.join(', ')}) or an alert type such as SLA_BREACH, each optionally prefixed with ! to exclude it.`
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length]!
}
