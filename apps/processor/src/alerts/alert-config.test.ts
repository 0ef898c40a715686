import { describe, expect, it } from 'vitest'
import { alertConfig, SLACK_API_URL } from './alert-config.ts'

describe('alert config', () => {
  it('sends every alert to the console when no other sink is configured (log-only mode)', () => {
    const config = alertConfig({})
    expect(config.sinks.map((sink) => sink.sink)).toEqual(['console'])
    expect(config.retry).toEqual({ maxAttempts: 5, baseDelayMs: 5_000, maxDelayMs: 300_000 })
    expect(config.timeoutMs).toBe(10_000)
  })

  it('configures each sink from its variables, the console only when asked once another sink exists', () => {
    const config = alertConfig({
      INTERLOCK_ALERT_FILE_PATH: '/var/log/interlock/alerts.ndjson',
      INTERLOCK_ALERT_WEBHOOK_URL: 'https://hooks.example.com/interlock',
      INTERLOCK_ALERT_WEBHOOK_AUTHORIZATION: 'Bearer hook-secret',
      INTERLOCK_ALERT_SLACK_TOKEN: 'xoxb-secret',
      INTERLOCK_ALERT_SLACK_CHANNEL: '#data-alerts',
      INTERLOCK_ALERT_SLACK_ROUTE: 'critical,warning',
    })
    expect(config.sinks.map((sink) => sink.sink)).toEqual(['file', 'webhook', 'slack'])
    const slack = config.sinks.find((sink) => sink.sink === 'slack')
    expect(slack).toMatchObject({ token: 'xoxb-secret', channel: '#data-alerts', apiUrl: SLACK_API_URL })
    expect(slack?.route.severities).toEqual(new Set(['critical', 'warning']))
  })

  it('leaves out a sink routed to none', () => {
    const config = alertConfig({
      INTERLOCK_ALERT_CONSOLE_ROUTE: 'none',
    })
    expect(config.sinks).toEqual([])
  })

  it('refuses a Slack token without a channel, and never repeats the token', () => {
    const failure = () => alertConfig({ INTERLOCK_ALERT_SLACK_TOKEN: 'xoxb-very-secret' })
    expect(failure).toThrow(
      'INTERLOCK_ALERT_SLACK_TOKEN is set but INTERLOCK_ALERT_SLACK_CHANNEL is not: name the channel (an id such as C0123ABCD, or #alerts).',
    )
    expect(failure).not.toThrow(/very-secret/)
  })

  it('refuses a route for a sink that is not configured', () => {
    expect(() => alertConfig({ INTERLOCK_ALERT_SLACK_ROUTE: 'critical' })).toThrow(
      'INTERLOCK_ALERT_SLACK_ROUTE is set, but Slack is not configured; set INTERLOCK_ALERT_SLACK_TOKEN and INTERLOCK_ALERT_SLACK_CHANNEL.',
    )
  })

  it('refuses an unknown alert variable, listing the known ones', () => {
    expect(() => alertConfig({ INTERLOCK_ALERT_SLACK_TOKN: 'x' })).toThrow(
      /^INTERLOCK_ALERT_SLACK_TOKN is not an alert setting; the alert settings are INTERLOCK_ALERT_CONSOLE_ROUTE, /,
    )
  })

  it('refuses a webhook URL that is not http(s) without quoting it', () => {
    expect(() => alertConfig({ INTERLOCK_ALERT_WEBHOOK_URL: 'ftp://user:secret@example.com/' })).toThrow(
      'INTERLOCK_ALERT_WEBHOOK_URL is not an http or https URL.',
    )
  })

  it('refuses retry settings that are not whole numbers or whose maximum is below the base', () => {
    expect(() => alertConfig({ INTERLOCK_ALERT_MAX_ATTEMPTS: '0' })).toThrow(
      'INTERLOCK_ALERT_MAX_ATTEMPTS is "0": expected a whole number ≥ 1.',
    )
    expect(() =>
      alertConfig({ INTERLOCK_ALERT_RETRY_BASE_MS: '2000', INTERLOCK_ALERT_RETRY_MAX_MS: '1000' }),
    ).toThrow(
      'INTERLOCK_ALERT_RETRY_MAX_MS is 1000, below INTERLOCK_ALERT_RETRY_BASE_MS 2000: the longest wait cannot be shorter than the first.',
    )
  })
})
