import { describe, expect, it } from 'vitest'
import { interlockEnvironment } from './env-expansion.ts'
import { isSecretName, makeRedactor, REDACTED, redactHeaders } from './redact-secrets.ts'

describe('isSecretName', () => {
  it.each([
    'Authorization',
    'X-Api-Key',
    'x-auth-token',
    'Cookie',
    'INTERLOCK_DATABRICKS_TOKEN',
    'client_secret',
  ])('treats %s as a secret', (name) => expect(isSecretName(name)).toBe(true))
  it.each(['Content-Type', 'Accept', 'X-Request-Id', 'INTERLOCK_REGION'])('treats %s as public', (name) =>
    expect(isSecretName(name)).toBe(false),
  )
})

describe('redactHeaders', () => {
  it('replaces secret header values and keeps the rest', () => {
    expect(redactHeaders({ Authorization: 'Bearer abc', 'Content-Type': 'application/json' })).toEqual({
      Authorization: REDACTED,
      'Content-Type': 'application/json',
    })
  })
})

describe('makeRedactor', () => {
  it('scrubs header secrets, bare tokens and secret INTERLOCK_ values out of text', () => {
    const redact = makeRedactor(
      { Authorization: 'Bearer tok-123456', Accept: 'application/json' },
      interlockEnvironment({ INTERLOCK_DB_PASSWORD: 'hunter2hunter2', INTERLOCK_REGION: 'eu-west-1' }),
    )
    expect(
      redact('got "Bearer tok-123456"; token tok-123456; pw hunter2hunter2; eu-west-1; application/json'),
    ).toBe(`got "${REDACTED}"; token ${REDACTED}; pw ${REDACTED}; eu-west-1; application/json`)
  })

  it('scrubs every variable the operator allowed, whatever its name says', () => {
    const redact = makeRedactor(
      {},
      interlockEnvironment({ AIRFLOW_TOKEN: 'airflow-123456', WAREHOUSE_DSN: 'dsn-with-password' }, [
        'AIRFLOW_TOKEN',
        'WAREHOUSE_DSN',
      ]),
    )
    expect(redact('sent airflow-123456 to dsn-with-password')).toBe(`sent ${REDACTED} to ${REDACTED}`)
  })
})
