/** What a job is started for: the values its config's `{{…}}` template variables resolve to (ruling T2). */
export interface RunContext {
  readonly pipelineId: string
  readonly attemptId: string
  /** The execution period: `YYYY-MM-DD`, or `YYYY-MM-DDTHH` for hourly pipelines. */
  readonly period: string
}

/** The date and hour parts of a period, split at the first `T` (spec §3.6). */
export const splitPeriod = (period: string): { readonly date: string; readonly hour: string } => {
  const separator = period.indexOf('T')
  return separator === -1
    ? { date: period, hour: '' }
    : { date: period.slice(0, separator), hour: period.slice(separator + 1) }
}

/** The `par_day` value of the injected date arguments: the period's date without dashes (spec §3.7). */
export const parDay = (period: string): string => splitPeriod(period).date.replaceAll('-', '')

const TEMPLATE = /\{\{\s*(date|hour|period|pipelineId|attemptId)\s*\}\}/g

/**
 * Replaces `{{date}}`, `{{hour}}`, `{{period}}`, `{{pipelineId}}` and `{{attemptId}}`. Any other `{{…}}`
 * is left as written, because job payloads legitimately carry templates of their own (Airflow's
 * Jinja `{{ ds }}`, for one).
 */
export const renderTemplate = (text: string, context: RunContext): string => {
  const { date, hour } = splitPeriod(context.period)
  const values: Readonly<Record<string, string>> = {
    date,
    hour,
    period: context.period,
    pipelineId: context.pipelineId,
    attemptId: context.attemptId,
  }
  return text.replace(TEMPLATE, (_match, name: string) => values[name] ?? '')
}

/** Renders the templates of every value of a string map, keeping its keys and their order. */
export const renderTemplateValues = (
  values: Readonly<Record<string, string>>,
  context: RunContext,
): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, renderTemplate(value, context)]))
