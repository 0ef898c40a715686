import { Schema } from 'effect'

/** The schedule of a pipeline with a single `schedule:` block (DESIGN, streams; ruling C14). */
export const DEFAULT_SCHEDULE = 'default'

/**
 * What identifies one run: a pipeline, one of its schedules and one execution period (`YYYY-MM-DD`, or
 * `YYYY-MM-DDTHH` for hourly pipelines). Its stream is `run-<pipelineId>-<scheduleId>-<period>`.
 */
export const RunKey = Schema.Struct({
  pipelineId: Schema.String.pipe(
    Schema.pattern(/^[A-Za-z0-9._-]{1,128}$/, {
      message: () => 'a pipeline id is 1–128 letters, digits, dots, underscores or hyphens',
    }),
  ),
  scheduleId: Schema.String.pipe(
    Schema.pattern(/^[A-Za-z0-9._-]{1,64}$/, {
      message: () => 'a schedule name is 1–64 letters, digits, dots, underscores or hyphens',
    }),
  ),
  period: Schema.String.pipe(
    Schema.pattern(/^\d{4}-\d{2}-\d{2}(T\d{2})?$/, {
      message: () => 'an execution period is YYYY-MM-DD, or YYYY-MM-DDTHH for an hourly pipeline',
    }),
  ),
}).annotations({ identifier: 'RunKey' })
export type RunKey = typeof RunKey.Type

/** `run-<pipelineId>-<scheduleId>-<period>`. */
export const runStreamId = (run: RunKey): string => `run-${run.pipelineId}-${run.scheduleId}-${run.period}`

/** `pipeline-<pipelineId>`. */
export const pipelineStreamId = (pipelineId: string): string => `pipeline-${pipelineId}`

/** `calendar-<name>`. */
export const calendarStreamId = (name: string): string => `calendar-${name}`
