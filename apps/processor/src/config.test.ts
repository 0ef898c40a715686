import { describe, expect, it } from 'vitest'
import { jobEnvironment, processorConfig } from './config.ts'

describe('processor config', () => {
  it("keeps Interlock's own settings, secrets above all, out of what job configs may expand (T3)", () => {
    const env = jobEnvironment({
      INTERLOCK_DATABRICKS_TOKEN: 'job-secret',
      INTERLOCK_REGION: 'eu-west-1',
      INTERLOCK_ALERT_SLACK_TOKEN: 'xoxb-secret',
      INTERLOCK_ALERT_WEBHOOK_AUTHORIZATION: 'Bearer secret',
      INTERLOCK_API_PORT: '3000',
      INTERLOCK_CLOCK: 'simulated',
      INTERLOCK_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32',
      PATH: '/usr/bin',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
    })
    expect(env).toEqual({ INTERLOCK_DATABRICKS_TOKEN: 'job-secret', INTERLOCK_REGION: 'eu-west-1' })
  })

  it('lets job configs read the variables the operator lists in INTERLOCK_JOB_ENV, and no others', () => {
    const config = processorConfig('postgres://x', {
      INTERLOCK_JOB_ENV: ' AIRFLOW_TOKEN, DATABRICKS_TOKEN,',
      AIRFLOW_TOKEN: 'airflow-secret',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      DATABASE_URL: 'postgres://secret',
    })
    expect(config.jobEnvironmentAllowed).toEqual(['AIRFLOW_TOKEN', 'DATABRICKS_TOKEN'])
    expect(config.environment).toEqual({ AIRFLOW_TOKEN: 'airflow-secret' })
  })

  it("refuses an INTERLOCK_JOB_ENV that is not a list of names or names Interlock's own secrets", () => {
    expect(() => processorConfig('postgres://x', { INTERLOCK_JOB_ENV: 'AIRFLOW-TOKEN' })).toThrow(
      'INTERLOCK_JOB_ENV has "AIRFLOW-TOKEN": expected environment variable names (letters, digits and underscores, not starting with a digit), comma-separated, such as AIRFLOW_TOKEN,DATABRICKS_TOKEN.',
    )
    expect(() => processorConfig('postgres://x', { INTERLOCK_JOB_ENV: 'DATABASE_URL' })).toThrow(
      "INTERLOCK_JOB_ENV names DATABASE_URL: Interlock's own database URL cannot be given to job configs; remove it from the list.",
    )
    expect(() =>
      processorConfig('postgres://x', { INTERLOCK_JOB_ENV: 'INTERLOCK_ALERT_SLACK_TOKEN' }),
    ).toThrow(
      "INTERLOCK_JOB_ENV names INTERLOCK_ALERT_SLACK_TOKEN: an INTERLOCK_ variable (those expand unlisted, except Interlock's own settings, which never do) cannot be given to job configs; remove it from the list.",
    )
  })

  it('names the variable and the expected form when a setting is wrong', () => {
    expect(() => processorConfig('postgres://x', { INTERLOCK_CLOCK: 'fast' })).toThrow(
      'INTERLOCK_CLOCK is "fast": expected "system" (default) or "simulated".',
    )
    expect(() => processorConfig('postgres://x', { INTERLOCK_WATCHDOG_INTERVAL_SECONDS: '0' })).toThrow(
      'INTERLOCK_WATCHDOG_INTERVAL_SECONDS is "0": expected a whole number of seconds ≥ 1.',
    )
    expect(() =>
      processorConfig('postgres://x', { INTERLOCK_ALLOW_PRIVATE_TARGETS: '10.0.0.0/8, nonsense' }),
    ).toThrow('INTERLOCK_ALLOW_PRIVATE_TARGETS has entries that are not addresses or CIDR ranges: nonsense.')
    expect(() => processorConfig('postgres://x', { INTERLOCK_BREAKER_THRESHOLD: 'five' })).toThrow(
      'INTERLOCK_BREAKER_THRESHOLD is "five": expected a whole number of failures ≥ 1.',
    )
  })

  it('opens outbound circuit breakers after 5 failures for 60 s unless told otherwise', () => {
    expect(processorConfig('postgres://x', {}).circuitBreaker).toEqual({ threshold: 5, coolDownMs: 60_000 })
    expect(
      processorConfig('postgres://x', {
        INTERLOCK_BREAKER_THRESHOLD: '3',
        INTERLOCK_BREAKER_COOL_DOWN_SECONDS: '30',
      }).circuitBreaker,
    ).toEqual({ threshold: 3, coolDownMs: 30_000 })
    expect(jobEnvironment({ INTERLOCK_BREAKER_THRESHOLD: '3' })).toEqual({})
  })
})
