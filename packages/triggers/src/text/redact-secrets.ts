import type { InterlockEnvironment } from './env-expansion.ts'

/** What replaces a secret in logs and error messages. */
export const REDACTED = '[REDACTED]'

/** Shorter values are not scrubbed out of free text: they would blank out ordinary words. */
const MINIMUM_SECRET_LENGTH = 6

const SECRET_NAME = /authorization|token|key|secret|password|passwd|cookie|credential|signature|session/i

/** Whether a header or variable name says its value is a secret (`Authorization`, `X-Api-Key`, …). */
export const isSecretName = (name: string): boolean => SECRET_NAME.test(name)

/** A copy of the headers, fit for a log line: the values of secret-named headers are replaced. */
export const redactHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isSecretName(name) ? REDACTED : value]),
  )

/** Removes secrets from free text (response bodies, SDK error messages) before it is logged. */
export type Redactor = (text: string) => string

/**
 * A redactor for the secrets one request carries: the values of its secret-named headers (whole, and
 * each long word of them, so a token echoed without its `Bearer ` prefix is caught too), the values of
 * secret-named `INTERLOCK_` variables, and the values of every variable the operator allowed beyond
 * them (`AIRFLOW_TOKEN`, …): those are allowed precisely to carry credentials, whatever their name.
 */
export const makeRedactor = (
  headers: Readonly<Record<string, string>>,
  environment: InterlockEnvironment,
): Redactor => {
  const secrets = new Set<string>()
  const add = (value: string) => {
    if (value.length >= MINIMUM_SECRET_LENGTH) secrets.add(value)
    for (const word of value.split(/\s+/)) if (word.length >= MINIMUM_SECRET_LENGTH) secrets.add(word)
  }
  for (const [name, value] of Object.entries(headers)) if (isSecretName(name)) add(value)
  for (const [name, value] of environment) if (isSecretName(name) || environment.allowed.has(name)) add(value)
  const ordered = [...secrets].sort((left, right) => right.length - left.length)
  return (text) => ordered.reduce((result, secret) => result.replaceAll(secret, REDACTED), text)
}
