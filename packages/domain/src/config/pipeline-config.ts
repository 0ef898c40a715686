import { Schema } from 'effect'
import { PipelineJob } from './job-config.ts'
import { optional } from './optional.ts'
import { PipelineId } from './pipeline-id.ts'
import { PostRunConfig } from './post-run-config.ts'
import { NamedScheduleConfig, ScheduleConfig } from './schedule-config.ts'
import { SlaConfig } from './sla-config.ts'
import { UTC } from './time-zone.ts'
import { ValidationConfig } from './validation-config.ts'

/** `pipeline`: identity and the words alerts and the dashboard show (C1, C10). */
export const PipelineInfo = Schema.Struct({
  id: PipelineId,
  owner: optional(Schema.String),
  description: optional(Schema.String),
  /** Seed 001's `tier` (1 = most important), shown with owner and description. */
  tier: optional(Schema.Int.pipe(Schema.between(1, 5))),
}).annotations({ identifier: 'PipelineInfo' })
export type PipelineInfo = typeof PipelineInfo.Type

/** The name of an archetype (a rule template) a pipeline `extends:`. */
export const ArchetypeName = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._-]{1,128}$/, {
    message: (issue) =>
      `${JSON.stringify(issue.actual)} is not an archetype name; use 1–128 letters, digits, dots, underscores or hyphens`,
  }),
  Schema.brand('ArchetypeName'),
).annotations({ identifier: 'ArchetypeName' })
export type ArchetypeName = typeof ArchetypeName.Type

const fields = Schema.Struct({
  pipeline: PipelineInfo,
  /** An archetype whose rules this pipeline inherits; its own rules override them by key. */
  extends: optional(ArchetypeName),
  schedule: optional(ScheduleConfig),
  /** C14: several named schedules instead of one `schedule`. */
  schedules: optional(Schema.NonEmptyArray(NamedScheduleConfig)),
  sla: optional(SlaConfig),
  validation: Schema.optionalWith(ValidationConfig, {
    default: () => ({ trigger: 'ALL' as const, rules: [] }),
  }),
  /** The job to start when ready, or `{type: none}` for a readiness-only pipeline. */
  job: Schema.propertySignature(PipelineJob).annotations({
    missingMessage: () =>
      'job is required: the job to start when the pipeline is ready ({type: command, config: {command: …}}), or {type: none} for a pipeline that only reports readiness',
  }),
  postRun: optional(PostRunConfig),
  /** Observe and record DRY_RUN_* events; never start, lock, retry or rerun anything (L10). */
  dryRun: Schema.optionalWith(Schema.Boolean, { default: () => false }),
})
type Fields = typeof fields.Type

type Issue = { readonly path: ReadonlyArray<string | number>; readonly message: string }

/** Checks that span blocks (each block checks itself). */
const crossBlockIssues = (config: Fields): ReadonlyArray<Issue> => {
  const issues: Array<Issue> = []
  if (config.schedule !== undefined && config.schedules !== undefined) {
    issues.push({ path: ['schedules'], message: 'use either schedule or schedules, not both' })
  }
  const seen = new Set<string>()
  config.schedules?.forEach((schedule, index) => {
    if (seen.has(schedule.name)) {
      issues.push({
        path: ['schedules', index, 'name'],
        message: `schedule name "${schedule.name}" is used twice`,
      })
    }
    seen.add(schedule.name)
    const maxDuration = (schedule.sla ?? config.sla)?.maxDuration
    if (maxDuration !== undefined && schedule.trigger === undefined) {
      issues.push({
        path: ['schedules', index, 'trigger'],
        message: `a relative SLA (maxDuration ${maxDuration.text}) runs from the first sensor that meets the trigger; add a trigger to schedule "${schedule.name}"`,
      })
    }
  })
  if (
    config.schedules === undefined &&
    config.sla?.maxDuration !== undefined &&
    config.schedule?.trigger === undefined
  ) {
    issues.push({
      path: ['sla', 'maxDuration'],
      message: `a relative SLA (maxDuration ${config.sla.maxDuration.text}) runs from the first sensor that meets schedule.trigger; add schedule.trigger`,
    })
  }
  const hasTrigger =
    config.schedule?.trigger !== undefined ||
    (config.schedules ?? []).some((schedule) => schedule.trigger !== undefined)
  if (config.dryRun && config.job.type === 'none') {
    issues.push({
      path: ['dryRun'],
      message:
        'dryRun records when a job would have started; a readiness-only pipeline (job type none) starts none, so remove dryRun',
    })
  } else if (config.dryRun && !hasTrigger) {
    issues.push({
      path: ['dryRun'],
      message: 'dryRun observes sensor-triggered evaluation; add schedule.trigger or remove dryRun',
    })
  }
  if (
    config.validation.trigger === 'ANY' &&
    config.validation.rules.length === 0 &&
    config.extends === undefined
  ) {
    issues.push({
      path: ['validation', 'rules'],
      message: 'mode ANY needs at least one rule (with none it could never pass); add rules or use ALL',
    })
  }
  return issues
}

/** Fills `sla.timezone` (and each named schedule's) from the schedule's zone when absent (C8). */
const fillSlaTimezones = (config: Fields): Fields => {
  let filled = config
  // With several schedules the top-level sla is a template; each schedule resolves its zone (pipelineSchedules).
  if (config.sla !== undefined && config.sla.timezone === undefined && config.schedules === undefined) {
    filled = { ...filled, sla: { ...config.sla, timezone: config.schedule?.timezone ?? UTC } }
  }
  if (config.schedules !== undefined) {
    const [first, ...rest] = config.schedules.map((schedule) =>
      schedule.sla !== undefined && schedule.sla.timezone === undefined
        ? { ...schedule, sla: { ...schedule.sla, timezone: schedule.timezone } }
        : schedule,
    )
    if (first !== undefined) filled = { ...filled, schedules: [first, ...rest] }
  }
  return filled
}

/**
 * A pipeline's whole configuration (spec §1, DECISIONS C1–C15), from YAML/JSON values to typed values with
 * defaults filled in:
 *
 * - durations decode to {@link Duration} `{text, millis}`; deadlines and times stay branded strings;
 * - `schedule.timezone` defaults to UTC and `sla.timezone` to the schedule's zone;
 * - `validation.trigger` decodes to `ALL` | `ANY`; retry budgets to their C12 defaults;
 * - `jobPollWindowSeconds` 0 or absent decodes to 3600.
 *
 * Decode with `{ errors: 'all', onExcessProperty: 'error' }` (see `parsePipelineConfig`) so unknown keys
 * are errors (C2). Encoding gives back plain JSON values, durations as their original text.
 */
export const PipelineConfig = Schema.transform(
  fields.pipe(Schema.filter(crossBlockIssues, { jsonSchema: {} })),
  Schema.typeSchema(fields),
  { strict: true, decode: fillSlaTimezones, encode: (config) => config },
).annotations({ identifier: 'PipelineConfig' })
export type PipelineConfig = typeof PipelineConfig.Type
/** The plain JSON form of a pipeline config (what YAML decodes to, and what is stored). */
export type PipelineConfigJson = typeof PipelineConfig.Encoded
