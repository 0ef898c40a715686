import { Either } from 'effect'
import { DEFAULT_JOB_POLL_WINDOW_SECONDS, startsJob } from '../config/job-config.ts'
import type { PipelineConfig } from '../config/pipeline-config.ts'
import { pipelineSchedules, type ResolvedSchedule } from '../config/pipeline-schedules.ts'
import type { PostRunConfig } from '../config/post-run-config.ts'
import type { ValidationMode } from '../config/validation-config.ts'
import type { ValidationRule } from '../config/validation-rule.ts'
import type { FailureCategory } from '../shared/failure-category.ts'
import { HOUR, MINUTE, SECOND } from '../shared/instant.ts'
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
 * `default`) or one entry of `schedules:` (C14) with its `after`, whose own `sla`/`deadline` override the
 * pipeline's `sla` (resolved once, by `pipelineSchedules`).
 */
export type RunSchedule = ResolvedSchedule

/** Resolves the run's schedule from the config, or says which schedules exist. */
export const scheduleOf = (
  config: PipelineConfig,
  scheduleId: string,
): Either.Either<RunSchedule, UnknownSchedule> => {
  const schedules = pipelineSchedules(config)
  const named = schedules.find((schedule) => schedule.name === scheduleId)
  return named !== undefined
    ? Either.right(named)
    : Either.left(
        new UnknownSchedule({
          pipelineId: config.pipeline.id,
          scheduleId,
          known: schedules.map((schedule) => schedule.name),
        }),
      )
}

/** The timing an attempt starts with (lifecycle §1.3). */
export const attemptTimingOf = (config: PipelineConfig, schedule: RunSchedule): AttemptTiming => ({
  evaluationIntervalMs: Math.max(SECOND, Math.round(schedule.evaluation.interval.millis)),
  evaluationWindowMs: Math.max(SECOND, Math.round(schedule.evaluation.window.millis)),
  jobPollIntervalMs: JOB_POLL_INTERVAL_MS,
  // A readiness-only pipeline polls nothing; the attempt still carries a window, the default one.
  jobPollWindowMs:
    (startsJob(config.job) ? config.job.jobPollWindowSeconds : DEFAULT_JOB_POLL_WINDOW_SECONDS) * SECOND,
  triggerMaxTries: TRIGGER_MAX_TRIES,
  triggerBackoffMs: TRIGGER_BACKOFF_MS,
})

/**
 * The retry budget a job failure of `category` spends (C12): `maxCodeRetries` for PERMANENT, `maxRetries`
 * otherwise. A readiness-only pipeline has no job to fail, hence none.
 */
export const retryBudgetOf = (config: PipelineConfig, category: FailureCategory | undefined): number => {
  if (!startsJob(config.job)) return 0
  return category === 'PERMANENT' ? config.job.maxCodeRetries : config.job.maxRetries
}

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
