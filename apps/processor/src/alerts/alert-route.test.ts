import { describe, expect, it } from 'vitest'
import type { Alert } from './alert.ts'
import { parseAlertRoute, routes } from './alert-route.ts'

const alert = (type: string, severity: Alert['severity']): Alert => ({
  id: '1',
  type,
  severity,
  pipelineId: 'gold-revenue',
  scheduleId: 'default',
  period: '2026-03-01',
  message: 'm',
  detail: {},
  occurredAt: '2026-03-01T06:00:00.000Z',
})

const VARIABLE = 'INTERLOCK_ALERT_SLACK_ROUTE'

describe('alert routes', () => {
  it('routes every alert with *', () => {
    const route = parseAlertRoute(VARIABLE, '*')
    expect(routes(route, alert('JOB_COMPLETED', 'info'))).toBe(true)
    expect(routes(route, alert('SLA_BREACH', 'critical'))).toBe(true)
  })

  it('routes by severity and by type, either one sufficing', () => {
    const route = parseAlertRoute(VARIABLE, 'critical, SLA_MET')
    expect(routes(route, alert('JOB_FAILED', 'critical'))).toBe(true)
    expect(routes(route, alert('SLA_MET', 'success'))).toBe(true)
    expect(routes(route, alert('SLA_WARNING', 'warning'))).toBe(false)
    expect(routes(route, alert('JOB_COMPLETED', 'info'))).toBe(false)
  })

  it('drops excluded types and severities even when * or a severity includes them', () => {
    const route = parseAlertRoute(VARIABLE, '*,!info,!SCHEDULE_MISSED')
    expect(routes(route, alert('JOB_COMPLETED', 'info'))).toBe(false)
    expect(routes(route, alert('SCHEDULE_MISSED', 'critical'))).toBe(false)
    expect(routes(route, alert('JOB_FAILED', 'critical'))).toBe(true)
  })

  it('routes nothing with none', () => {
    expect(routes(parseAlertRoute(VARIABLE, 'none'), alert('JOB_FAILED', 'critical'))).toBe(false)
  })

  it('refuses a name that is neither a severity nor an alert type, and suggests the nearest', () => {
    expect(() => parseAlertRoute(VARIABLE, 'critical,SLA_BREACHED')).toThrow(
      'INTERLOCK_ALERT_SLACK_ROUTE has "SLA_BREACHED", which is neither a severity nor an alert type; did you mean SLA_BREACH? Use *, a severity (critical, warning, success, info) or an alert type such as SLA_BREACH, each optionally prefixed with ! to exclude it.',
    )
  })

  it('refuses a public event that never alerts, since the route would wait for nothing (L9)', () => {
    expect(() => parseAlertRoute(VARIABLE, 'JOB_TRIGGERED')).toThrow(
      /^INTERLOCK_ALERT_SLACK_ROUTE names JOB_TRIGGERED, a public event that never alerts \(lifecycle §9\.2\); remove it\./,
    )
  })

  it('refuses an empty route and a none mixed with other selectors', () => {
    expect(() => parseAlertRoute(VARIABLE, ' , ')).toThrow(
      'INTERLOCK_ALERT_SLACK_ROUTE is empty: list *, severities (critical, warning, success, info) or alert types separated by commas, or write none.',
    )
    expect(() => parseAlertRoute(VARIABLE, 'none,critical')).toThrow(
      'INTERLOCK_ALERT_SLACK_ROUTE has "none": none stands alone (* for every alert, none for no alert) and cannot be excluded.',
    )
  })
})
