import { Schema } from 'effect'

/** The name of a registered calendar (C6): 1–128 letters, digits, dots, underscores or hyphens. */
export const CalendarName = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._-]{1,128}$/, {
    message: (issue) =>
      `${JSON.stringify(issue.actual)} is not a calendar name; use 1–128 letters, digits, dots, underscores or hyphens`,
  }),
  Schema.brand('CalendarName'),
).annotations({ identifier: 'CalendarName' })
export type CalendarName = typeof CalendarName.Type
