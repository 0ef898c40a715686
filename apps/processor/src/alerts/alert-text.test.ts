import { describe, expect, it } from 'vitest'
import type { Alert } from './alert.ts'
import { alertText } from './alert-text.ts'

const alert = (overrides: Partial<Alert> = {}): Alert => ({
  id: '42',
  type: 'JOB_COMPLETED',
  severity: 'info',
  pipelineId: 'gold-revenue',
  scheduleId: 'default',
  period: '2026-03-01',
  message: 'job completed for gold-revenue',
  detail: {},
  occurredAt: '2026-03-01T06:00:00.000Z',
  ...overrides,
})

describe('alert text (lifecycle §9.4, L8)', () => {
  it('is the header and the message when the alert has no detail', () => {
    expect(alertText(alert())).toBe(
      'ℹ️ *JOB_COMPLETED* | gold-revenue | 2026-03-01\njob completed for gold-revenue',
    )
  })

  it('picks the emoji from the severity', () => {
    const header = (severity: Alert['severity']) => alertText(alert({ severity })).split('\n')[0]
    expect(header('critical')).toBe('🔴 *JOB_COMPLETED* | gold-revenue | 2026-03-01')
    expect(header('warning')).toBe('🟡 *JOB_COMPLETED* | gold-revenue | 2026-03-01')
    expect(header('success')).toBe('✅ *JOB_COMPLETED* | gold-revenue | 2026-03-01')
    expect(header('info')).toBe('\u2139\uFE0F *JOB_COMPLETED* | gold-revenue | 2026-03-01')
  })

  it('keeps the message when the detail renders, then the detail line and the action hint', () => {
    const text = alertText(
      alert({
        type: 'SLA_WARNING',
        severity: 'warning',
        message: 'pipeline gold-revenue: SLA_WARNING',
        detail: {
          status: 'RUNNING',
          source: 'schedule',
          actionHint: 'pipeline running — may complete before breach',
          breachAt: '2026-03-02T10:00:00.000Z',
        },
      }),
    )
    expect(text).toBe(
      [
        '🟡 *SLA_WARNING* | gold-revenue | 2026-03-01',
        'pipeline gold-revenue: SLA_WARNING',
        'Status: RUNNING · Source: schedule',
        '→ pipeline running — may complete before breach',
      ].join('\n'),
    )
  })

  it('renders the deadline with its breach instant, and cron, in the order of the original', () => {
    const text = alertText(
      alert({
        type: 'SCHEDULE_MISSED',
        severity: 'critical',
        message: 'missed schedule for gold-revenue on 2026-03-01',
        detail: {
          cron: '0 6 * * *',
          source: 'watchdog',
          deadline: '10:00',
          breachAt: '2026-03-02T10:00:00Z',
        },
      }),
    )
    expect(text.split('\n')[2]).toBe(
      'Deadline 10:00 (2026-03-02T10:00:00Z) · Source: watchdog · Cron: 0 6 * * *',
    )
    expect(alertText(alert({ detail: { deadline: '10:00' } })).split('\n')[2]).toBe('Deadline 10:00')
  })

  it('shows the message of a detail with none of the rendered keys (drift, dry-run)', () => {
    const text = alertText(
      alert({
        type: 'DRY_RUN_WOULD_TRIGGER',
        message: 'dry-run: would trigger gold-revenue at 2026-03-01T06:00:00.000Z',
        detail: { triggeredAt: '2026-03-01T06:00:00.000Z', rulesEvaluated: 2 },
      }),
    )
    expect(text).toBe(
      'ℹ️ *DRY_RUN_WOULD_TRIGGER* | gold-revenue | 2026-03-01\ndry-run: would trigger gold-revenue at 2026-03-01T06:00:00.000Z',
    )
  })

  it('names the owner and description of the pipeline, and a schedule other than default', () => {
    const text = alertText(
      alert({ scheduleId: 'hourly', owner: 'data-eng', description: 'Revenue rollup for finance' }),
    )
    expect(text).toBe(
      [
        'ℹ️ *JOB_COMPLETED* | gold-revenue (hourly) | 2026-03-01',
        'job completed for gold-revenue',
        'Owner: data-eng · Revenue rollup for finance',
      ].join('\n'),
    )
  })
})
