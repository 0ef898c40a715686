import { Schema } from 'effect'
import { DurationFromString } from '../duration/duration.ts'
import { ClockDeadline } from './clock-time.ts'
import { optional } from './optional.ts'
import { TimeZone } from './time-zone.ts'

const MAX_RELATIVE_SLA_MS = 24 * 3_600_000

/**
 * The `sla` block (spec §1.5, C10, L4–L5). `deadline` is an absolute breach time, `maxDuration` a relative
 * one from the first sensor arrival; `expectedDuration` moves the warning that far before the breach.
 * `timezone` is filled from `schedule.timezone` when absent (C8), so the decoded config always has one.
 */
export const SlaConfig = Schema.Struct({
  deadline: optional(ClockDeadline),
  expectedDuration: optional(DurationFromString),
  maxDuration: optional(DurationFromString),
  timezone: optional(TimeZone),
  critical: Schema.optionalWith(Schema.Boolean, { default: () => false }),
})
  .pipe(
    Schema.filter((sla) => {
      if (sla.deadline === undefined && sla.maxDuration === undefined) {
        return 'an sla needs a deadline (HH:MM or :MM) or a maxDuration (e.g. 4h); add one or remove the sla block'
      }
      const max = sla.maxDuration
      if (max === undefined) return undefined
      if (max.millis <= 0)
        return { path: ['maxDuration'], message: `maxDuration ${max.text} must be longer than 0s` }
      if (max.millis > MAX_RELATIVE_SLA_MS) {
        return { path: ['maxDuration'], message: `maxDuration ${max.text} exceeds 24h; use at most 24h` }
      }
      return undefined
    }),
  )
  .annotations({ identifier: 'SlaConfig' })
export type SlaConfig = typeof SlaConfig.Type
