import { Effect } from 'effect'
import type { TriggerError } from '../failure/trigger-error.ts'
import type { InterlockEnvironment } from '../text/env-expansion.ts'
import { expandJobText } from '../text/expand-job-text.ts'
import { type RunContext, renderTemplate } from '../text/template-variables.ts'

/**
 * The configured headers as sent: template variables rendered, then the variables a job config may read
 * expanded in the values (never in the names, spec §5.2); a variable it may not read fails the call.
 * Start and status calls send the same ones (T1).
 */
export const requestHeaders = (
  jobType: string,
  headers: Readonly<Record<string, string>> | undefined,
  environment: InterlockEnvironment,
  context: RunContext | undefined,
): Effect.Effect<Record<string, string>, TriggerError> =>
  Effect.forEach(Object.entries(headers ?? {}), ([name, value]) =>
    expandJobText(
      jobType,
      `headers.${name}`,
      context === undefined ? value : renderTemplate(value, context),
      environment,
    ).pipe(Effect.map((expanded) => [name, expanded] as const)),
  ).pipe(Effect.map((entries) => Object.fromEntries(entries)))
