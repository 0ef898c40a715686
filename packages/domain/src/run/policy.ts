import { Either } from 'effect'
import type { PipelineConfig } from '../config/pipeline-config.ts'
import type { PostRunConfig } from '../config/post-run-config.ts'
import type { ScheduleConfig } from '../config/schedule-config.ts'
import type { SlaConfig } from '../config/sla-config.ts'
import type { ValidationMode } from '../config/validation-config.ts'
import type { TriggerCondition, ValidationRule } from '../config/validation-rule.ts'
import { HOUR, MINUTE, SECOND } from '../shared/instant.ts'
import { DEFAULT_SCHEDULE } from '../shared/run-key.ts'
import type { AttemptTiming } from './events/attempt-events.ts'
import { UnknownSchedule } from './rejections.ts'

/** Job status is checked every 60 s (lifecycle §1.3: not configurable). */
export const JOB_POLL_INTERVAL_MS = 60 * SECOND
/** Trigger start tries per attempt: the first and 3 retries (T4). */
export const TRIGGER_MAX_TRIES = 4
/** Wait before the first trigger retry; doubles per retry (30 s, 60 s, 120 s; T4). */
export const TRIGGER_BACKOFF_MS = 30 * SECOND
/** A live attempt's lock expires after the run timeout (4 h) plus a 30 min buffer (§0.11). */
export const LOCK_TTL_MS = 4 * HOUR + 30 * MINUTE

/**
 * The schedule a run follows, with the SLA that applies to it: the single `schedule:` block (named
 * `default`) or one entry of `schedules:` (C14), whose own `sla`/`deadline` override the pipeline's `sla`.
 */
export interface RunSchedule {
  readonly name: string
  readonly cron: ScheduleConfig['cron']
  readonly timezone: ScheduleConfig['timezone']
  readonly trigger: TriggerCondition | undefined
  readonly exclude: ScheduleConfig['exclude']
  readonly include: ScheduleConfig['include']
  readonly calendar: ScheduleConfig['calendar']
  readonly evaluation: ScheduleConfig['evaluation']
  readonly sla: SlaConfig | undefined
}

const DEFAULT_EVALUATION = {
  window: { text: '1h', millis: HOUR },
  interval: { text: '5m', millis: 5 * MINUTE },
}

/** Resolves the run's schedule from the config, or says which schedules exist. */
export const scheduleOf = (
  config: PipelineConfig,
  scheduleId: string,
): Either.Either<RunSchedule, UnknownSchedule> => {
  if (config.schedules !== undefined) {
    const named = config.schedules.find((schedule) => schedule.name === scheduleId)
    if (named === undefined) {
      return Either.left(
        new UnknownSchedule({
          pipelineId: config.pipeline.id,
          scheduleId,
          known: config.schedules.map((schedule) => schedule.name),
        }),
      )
    }
    const base = named.sla ?? config.sla
    const sla =
      named.deadline !== undefined
        ? ({
            critical: false,
            ...base,
            deadline: named.deadline,
            timezone: base?.timezone ?? named.timezone,
          } as SlaConfig)
        : base
    return Either.right({
      name: named.name,
      cron: named.cron,
      timezone: named.timezone,
      trigger: named.trigger,
      exclude: named.exclude,
      include: named.include,
      calendar: named.calendar,
      evaluation: named.evaluation,
      sla,
    })
  }
  if (scheduleId !== DEFAULT_SCHEDULE) {
    return Either.left(
      new UnknownSchedule({ pipelineId: config.pipeline.id, scheduleId, known: [DEFAULT_SCHEDULE] }),
    )
  }
  const schedule = config.schedule
  return Either.right({
    name: DEFAULT_SCHEDULE,
    cron: schedule?.cron,
    timezone: schedule?.timezone ?? ('UTC' as ScheduleConfig['timezone']),
    trigger: schedule?.trigger,
    exclude: schedule?.exclude,
    include: schedule?.include,
    calendar: schedule?.calendar,
    evaluation: schedule?.evaluation ?? DEFAULT_EVALUATION,
    sla: config.sla,
  })
}

/** The timing an attempt starts with (lifecycle §1.3). */
export const attemptTimingOf = (config: PipelineConfig, schedule: RunSchedule): AttemptTiming => ({
  evaluationIntervalMs: Math.max(SECOND, Math.round(schedule.evaluation.interval.millis)),
  evaluationWindowMs: Math.max(SECOND, Math.round(schedule.evaluation.window.millis)),
  jobPollIntervalMs: JOB_POLL_INTERVAL_MS,
  jobPollWindowMs: config.job.jobPollWindowSeconds * SECOND,
  triggerMaxTries: TRIGGER_MAX_TRIES,
  triggerBackoffMs: TRIGGER_BACKOFF_MS,
})

/** The validation rule set: mode and rules. */
export const validationOf = (
  config: PipelineConfig,
): { readonly mode: ValidationMode; readonly rules: ReadonlyArray<ValidationRule> } => ({
  mode: config.validation.trigger,
  rules: config.validation.rules,
})

/** The post-run block when it has rules; post-run handling is off otherwise. */
export const postRunOf = (config: PipelineConfig): PostRunConfig | undefined =>
  config.postRun !== undefined && config.postRun.rules.length > 0 ? config.postRun : undefined

/** Reasons whose reruns share the drift budget (lifecycle §3.2 R6). */
export const DRIFT_REASONS: ReadonlyArray<string> = ['data-drift', 'late-data']

/** The budget a rerun reason spends, and which ledger reasons count against it (R6). */
export const rerunBudgetOf = (
  config: PipelineConfig,
  reason: string,
): {
  readonly budget: number
  readonly counts: ReadonlyArray<string>
  readonly label: 'drift rerun limit exceeded' | 'manual rerun limit exceeded'
} =>
  DRIFT_REASONS.includes(reason)
    ? { budget: config.job.maxDriftReruns, counts: DRIFT_REASONS, label: 'drift rerun limit exceeded' }
    : { budget: config.job.maxManualReruns, counts: [reason], label: 'manual rerun limit exceeded' }
