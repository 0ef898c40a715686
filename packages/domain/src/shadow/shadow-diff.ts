import { Schema } from 'effect'
import { periodDecisionOf } from '../backtest/period-decision.ts'
import type { RunEvent } from '../run/events.ts'
import type { RunKey } from '../shared/run-key.ts'
import { shadowPublicType } from './shadow-run.ts'

const Side = Schema.Struct({
  triggeredAt: Schema.NullOr(Schema.String),
  excluded: Schema.Boolean,
  outcome: Schema.String,
})

/** Live against shadow for one period the shadow observed. */
export const ShadowPeriodDiff = Schema.Struct({
  scheduleId: Schema.String,
  period: Schema.String,
  live: Side,
  shadow: Side,
  /** What the shadow recorded, by public name (`SHADOW_WOULD_TRIGGER`, …), oldest first. */
  observations: Schema.Array(Schema.String),
  /** `triggered` (one would start a job, the other not), `triggeredAt`, `excluded`; empty when they agree. */
  disagreements: Schema.Array(Schema.Literal('triggered', 'triggeredAt', 'excluded')),
}).annotations({ identifier: 'ShadowPeriodDiff' })
export type ShadowPeriodDiff = typeof ShadowPeriodDiff.Type

/** One period: the live run's events and the shadow's observations (unwrapped). */
export interface ShadowPeriod {
  readonly run: RunKey
  readonly live: ReadonlyArray<RunEvent>
  readonly shadow: ReadonlyArray<RunEvent>
}

/**
 * Where the shadow config disagreed with the live one, period by period: whether a job would start, when,
 * and whether the calendar excluded the period. The shadow decides as a dry run, so its trigger is the
 * would-trigger point and nothing after it (retries, polls) is compared.
 */
export const shadowDiff = (periods: ReadonlyArray<ShadowPeriod>): ReadonlyArray<ShadowPeriodDiff> =>
  periods.map((period) => {
    const live = periodDecisionOf(period.live)
    const shadow = periodDecisionOf(period.shadow)
    const disagreements: Array<ShadowPeriodDiff['disagreements'][number]> = []
    if ((live.triggeredAt === null) !== (shadow.triggeredAt === null)) disagreements.push('triggered')
    else if (live.triggeredAt !== shadow.triggeredAt) disagreements.push('triggeredAt')
    if (live.excluded !== shadow.excluded) disagreements.push('excluded')
    return {
      scheduleId: period.run.scheduleId,
      period: period.run.period,
      live: { triggeredAt: live.triggeredAt, excluded: live.excluded, outcome: live.outcome },
      shadow: { triggeredAt: shadow.triggeredAt, excluded: shadow.excluded, outcome: shadow.outcome },
      observations: period.shadow.flatMap((event) => {
        const type = shadowPublicType(event, period.run)
        return type === null ? [] : [type]
      }),
      disagreements,
    }
  })
