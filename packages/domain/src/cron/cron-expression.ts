import { Cron } from 'croner'
import { Schema } from 'effect'

/** Compiles a five-field cron expression in a zone, or returns why it is not one. Never starts a timer. */
export const compileCron = (expression: string, timezone: string): Cron | string => {
  const fields = expression.trim().split(/\s+/)
  if (fields.length !== 5) {
    return `${JSON.stringify(expression)} has ${fields.length} field(s); write five: minute hour day-of-month month day-of-week, e.g. "0 8 * * *"`
  }
  try {
    return new Cron(expression, { timezone, mode: '5-part', paused: true })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return `${JSON.stringify(expression)} is not a valid cron expression (${reason}); write five fields, e.g. "0 8 * * *"`
  }
}

/** `schedule.cron`: a five-field cron expression with ranges, lists and steps, read in `schedule.timezone` (C4). */
export const CronExpression = Schema.String.pipe(
  Schema.filter(
    (expression) => {
      const compiled = compileCron(expression, 'UTC')
      return typeof compiled === 'string' ? compiled : true
    },
    { jsonSchema: { type: 'string', pattern: '^\\s*\\S+(\\s+\\S+){4}\\s*$' } },
  ),
  Schema.brand('CronExpression'),
).annotations({ identifier: 'CronExpression' })
export type CronExpression = typeof CronExpression.Type
