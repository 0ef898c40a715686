import { expandEnvironment, type InterlockEnvironment } from '../text/env-expansion.ts'
import { type RunContext, renderTemplate } from '../text/template-variables.ts'

/**
 * The configured headers as sent: template variables rendered, then `INTERLOCK_` variables expanded
 * in the values (never in the names, spec §5.2). Start and status calls send the same ones (T1).
 */
export const requestHeaders = (
  headers: Readonly<Record<string, string>> | undefined,
  environment: InterlockEnvironment,
  context: RunContext | undefined,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      expandEnvironment(context === undefined ? value : renderTemplate(value, context), environment),
    ]),
  )
