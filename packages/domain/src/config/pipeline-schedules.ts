import type { ClockTime } from './clock-time.ts'
import type { PipelineConfig } from './pipeline-config.ts'
import {
  DEFAULT_EVALUATION_INTERVAL,
  DEFAULT_EVALUATION_WINDOW,
  type ScheduleConfig,
  type ScheduleName,
} from './schedule-config.ts'
import type { SlaConfig } from './sla-config.ts'
import { UTC } from './time-zone.ts'

/** The name of the only schedule of a pipeline written with `schedule:` (or none). */
export const DEFAULT_SCHEDULE_NAME = 'default' as ScheduleName

/**
 * One schedule of a pipeline as the deciders use it: the schedule's fields with defaults, its name, `after`,
 * and its effective SLA (its own `sla`, else the pipeline's, with its own `deadline` applied and the zone
 * defaulting to the schedule's zone, C8), or none.
 */
export type ResolvedSchedule = ScheduleConfig & {
  readonly name: ScheduleName
  readonly after?: ClockTime
  readonly sla?: SlaConfig & { readonly timezone: NonNullable<SlaConfig['timezone']> }
}

const withZone = (
  sla: SlaConfig | undefined,
  timezone: ScheduleConfig['timezone'],
): ResolvedSchedule['sla'] => (sla === undefined ? undefined : { ...sla, timezone: sla.timezone ?? timezone })

/**
 * Every schedule of a pipeline (C14): its `schedules:` in order, or one schedule named `default` made of
 * `schedule:` (UTC, default evaluation when the block is absent) and the pipeline's `sla`.
 */
export const pipelineSchedules = (config: PipelineConfig): ReadonlyArray<ResolvedSchedule> => {
  if (config.schedules === undefined) {
    const schedule: ScheduleConfig = config.schedule ?? {
      timezone: UTC,
      evaluation: { window: DEFAULT_EVALUATION_WINDOW, interval: DEFAULT_EVALUATION_INTERVAL },
    }
    const sla = withZone(config.sla, schedule.timezone)
    return [{ ...schedule, name: DEFAULT_SCHEDULE_NAME, ...(sla !== undefined ? { sla } : {}) }]
  }
  return config.schedules.map(({ deadline, sla: own, ...schedule }) => {
    const base = own ?? config.sla
    const sla =
      deadline === undefined
        ? withZone(base, schedule.timezone)
        : withZone({ ...(base ?? { critical: false }), deadline }, schedule.timezone)
    return { ...schedule, ...(sla !== undefined ? { sla } : {}) }
  })
}
