import { Schema } from 'effect'

const CLOCK_TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$/
const HOURLY_MINUTE = /^:([0-5][0-9])$/

/** A local wall-clock time `HH:MM`, 00:00–23:59, two digits each (C11). */
export const ClockTime = Schema.String.pipe(
  Schema.pattern(CLOCK_TIME, {
    message: (issue) =>
      `${JSON.stringify(issue.actual)} is not a time of day; write HH:MM from 00:00 to 23:59`,
  }),
  Schema.brand('ClockTime'),
).annotations({ identifier: 'ClockTime' })
export type ClockTime = typeof ClockTime.Type

/**
 * A deadline: `HH:MM` (a time of day) or `:MM` (minute MM of the hour after an hourly period, the H+1 rule of
 * L4). Parsed strictly (C11).
 */
export const ClockDeadline = Schema.String.pipe(
  Schema.filter(
    (text) =>
      CLOCK_TIME.test(text) ||
      HOURLY_MINUTE.test(text) ||
      `${JSON.stringify(text)} is not a deadline; write HH:MM (00:00–23:59) or :MM (minute 00–59 of the next hour)`,
    { jsonSchema: { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|:[0-5][0-9])$' } },
  ),
  Schema.brand('ClockDeadline'),
).annotations({ identifier: 'ClockDeadline' })
export type ClockDeadline = typeof ClockDeadline.Type

/** The parts of a deadline: a daily time of day, or an hourly minute. */
export type DeadlineParts =
  | { readonly kind: 'daily'; readonly hour: number; readonly minute: number }
  | { readonly kind: 'hourly'; readonly minute: number }

/** Splits a valid {@link ClockDeadline} into its parts. */
export const deadlineParts = (deadline: ClockDeadline): DeadlineParts => {
  if (deadline.startsWith(':')) return { kind: 'hourly', minute: Number(deadline.slice(1)) }
  return { kind: 'daily', hour: Number(deadline.slice(0, 2)), minute: Number(deadline.slice(3, 5)) }
}

/** Hour and minute of a valid {@link ClockTime}. */
export const clockTimeParts = (time: ClockTime): { readonly hour: number; readonly minute: number } => ({
  hour: Number(time.slice(0, 2)),
  minute: Number(time.slice(3, 5)),
})
