import { startsJob } from '../config/job-config.ts'
import type { AttemptId } from '../shared/attempt-id.ts'
import { accept, type Decision, nothing, reject } from '../shared/decision.ts'
import type { FailureCategory } from '../shared/failure-category.ts'
import { instantOf } from '../shared/instant.ts'
import { runStreamId } from '../shared/run-key.ts'
import type {
  EvaluateRun,
  PollJob,
  RecordJobCompletion,
  RecordJobStarted,
  RecordJobStatus,
  RecordTriggerFailure,
  RetryTrigger,
} from './commands.ts'
import { decideDryRunJobFailure } from './decide-dry-run.ts'
import {
  applyAll,
  type Decide,
  event,
  scheduleRelativeSla,
  slaVerdicts,
  stamp,
  startAttempt,
  timer,
} from './decide-support.ts'
import { READINESS_ONLY_REASON } from './events/attempt-events.ts'
import { timerIdFor } from './events/intent-events.ts'
import type { RunEvent } from './events.ts'
import { postRunOf, retryBudgetOf, validationOf } from './policy.ts'
import { AttemptNotFound, JobNotStartedYet, type RunRejection } from './rejections.ts'
import { captureBaseline, evaluateRuleSet, isPeriodExcluded } from './rule-port.ts'
import { JOB_FAIL_RETRY, type LiveLifecycle, type RunState } from './state.ts'

/** The attempt number inside an attempt id (`…/<n>`). */
const attemptNumberOf = (attemptId: AttemptId): number =>
  Number(attemptId.slice(attemptId.lastIndexOf('/') + 1))

/**
 * Classifies the attempt a command names: the live one (with its lifecycle), an older one of this run
 * (stale, L1), or one that never existed (a typed rejection).
 */
export const locate = (
  state: RunState,
  ctx: Decide,
  attemptId: AttemptId,
):
  | { readonly kind: 'live'; readonly lifecycle: LiveLifecycle }
  | { readonly kind: 'past' }
  | AttemptNotFound => {
  const lifecycle = state.lifecycle
  if ('attempt' in lifecycle && lifecycle.attempt.attemptId === attemptId) return { kind: 'live', lifecycle }
  const number = attemptNumberOf(attemptId)
  if (
    attemptId.startsWith(`${ctx.run.pipelineId}/${ctx.run.scheduleId}/${ctx.run.period}/`) &&
    number <= state.attempts
  ) {
    return { kind: 'past' }
  }
  return new AttemptNotFound({ runStream: runStreamId(ctx.run), attemptId, attempts: state.attempts })
}

/** The timer that finds heartbeat `sequence` + 1 missing, when the job has a `heartbeatTimeout`. */
export const heartbeatDue = (
  ctx: Decide,
  attemptId: AttemptId,
  sequence: number,
): ReadonlyArray<RunEvent> => {
  const timeout = ctx.config.job.heartbeatTimeout
  if (timeout === undefined) return []
  return [
    timer(ctx, timerIdFor.heartbeat(attemptId, sequence), ctx.now + timeout.millis, {
      _tag: 'CheckHeartbeat',
      attemptId,
      sequence,
    }),
  ]
}

/** A tick of the evaluation loop (A2–A6): evaluate, or give up when the window has run out. */
export const decideEvaluateRun = (
  command: EvaluateRun,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const lifecycle = state.lifecycle
  if (lifecycle.status !== 'Evaluating' || lifecycle.attempt.attemptId !== command.attemptId) return nothing
  if (command.evaluationNumber !== lifecycle.evaluationsDone + 1) return nothing
  const { attempt } = lifecycle
  const timing = attempt.timing
  const elapsed = (command.evaluationNumber - 1) * timing.evaluationIntervalMs
  if (elapsed >= timing.evaluationWindowMs) {
    const exhausted = event('ValidationExhausted', {
      ...stamp(ctx),
      attemptId: attempt.attemptId,
      evaluations: lifecycle.evaluationsDone,
      windowMs: timing.evaluationWindowMs,
    })
    return accept([exhausted, ...slaVerdicts(applyAll(state, [exhausted]), ctx, false)])
  }
  const next = timer(
    ctx,
    timerIdFor.evaluation(attempt.attemptId, command.evaluationNumber + 1),
    ctx.now + timing.evaluationIntervalMs,
    {
      _tag: 'EvaluateRun',
      attemptId: attempt.attemptId,
      evaluationNumber: command.evaluationNumber + 1,
    },
  )
  if (ctx.paused) {
    return accept([
      event('EvaluationSkipped', {
        ...stamp(ctx),
        attemptId: attempt.attemptId,
        evaluationNumber: command.evaluationNumber,
        reason: 'pipeline paused',
      }),
      next,
    ])
  }
  const { mode, rules } = validationOf(ctx.config)
  const evaluation = evaluateRuleSet(mode, rules, state.sensors, ctx.now, ctx.run.period)
  const evaluated = event('RunEvaluated', {
    ...stamp(ctx),
    attemptId: attempt.attemptId,
    evaluationNumber: command.evaluationNumber,
    mode,
    passed: evaluation.passed,
    ruleResults: evaluation.results,
    sensorSnapshot: evaluation.snapshot,
  })
  if (!evaluation.passed) return accept([evaluated, next])
  if (!startsJob(ctx.config.job))
    return accept([evaluated, ...completeWithoutJob(applyAll(state, [evaluated]), ctx, attempt.attemptId)])
  return accept([
    evaluated,
    event('JobStartRequested', {
      ...stamp(ctx),
      attemptId: attempt.attemptId,
      triggerTry: 1,
      jobType: ctx.config.job.type,
    }),
  ])
}

/** The backoff timer of a failed trigger try fired: ask for the next try. */
export const decideRetryTrigger = (
  command: RetryTrigger,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const lifecycle = state.lifecycle
  if (lifecycle.status !== 'Triggering' || lifecycle.attempt.attemptId !== command.attemptId) return nothing
  if (lifecycle.phase !== 'backing-off' || command.triggerTry !== lifecycle.triggerTry + 1) return nothing
  // The config became readiness-only while the trigger backed off: the period passed, nothing is started.
  if (!startsJob(ctx.config.job)) return accept(completeWithoutJob(state, ctx, command.attemptId))
  if (ctx.paused) {
    return accept([
      timer(
        ctx,
        timerIdFor.trigger(command.attemptId, command.triggerTry),
        ctx.now + lifecycle.attempt.timing.triggerBackoffMs,
        command,
      ),
    ])
  }
  return accept([
    event('JobStartRequested', {
      ...stamp(ctx),
      attemptId: command.attemptId,
      triggerTry: command.triggerTry,
      jobType: ctx.config.job.type,
    }),
  ])
}

/** What happens once the attempt's job succeeded: baseline (§4.1) and the SLA verdict. */
const afterSuccess = (state: RunState, ctx: Decide, succeeded: RunEvent): ReadonlyArray<RunEvent> => {
  const after = applyAll(state, [succeeded])
  const baseline =
    postRunOf(ctx.config) === undefined
      ? undefined
      : captureBaseline(ctx.config, state.sensors, ctx.run.period)
  const attemptId = 'attemptId' in succeeded ? succeeded.attemptId : null
  return [
    succeeded,
    ...(baseline === undefined
      ? []
      : [event('PostRunBaselineCaptured', { ...stamp(ctx), attemptId, baseline })]),
    ...slaVerdicts(after, ctx, true),
  ]
}

/** A readiness-only run (`job: {type: none}`) whose evaluation passed ends as succeeded, no job started. */
const completeWithoutJob = (state: RunState, ctx: Decide, attemptId: AttemptId): ReadonlyArray<RunEvent> =>
  afterSuccess(
    state,
    ctx,
    event('RunCompletedWithoutJob', { ...stamp(ctx), attemptId, reason: READINESS_ONLY_REASON }),
  )

/** The trigger started the job (A10/A11). A start for an older attempt is recorded and cancelled (L1). */
export const decideRecordJobStarted = (
  command: RecordJobStarted,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const where = locate(state, ctx, command.attemptId)
  if (where instanceof AttemptNotFound) return reject(where)
  if (where.kind === 'past') {
    if (state.jobsStarted.includes(command.attemptId)) return nothing
    return accept([
      event('StaleJobResultRecorded', {
        ...stamp(ctx),
        attemptId: command.attemptId,
        result: 'started',
        runId: command.runId,
      }),
      event('JobCancelRequested', {
        ...stamp(ctx),
        attemptId: command.attemptId,
        jobType: command.jobType,
        runId: command.runId,
        metadata: command.metadata,
        reason: 'superseded',
      }),
    ])
  }
  const lifecycle = where.lifecycle
  if (
    lifecycle.status !== 'Triggering' ||
    lifecycle.phase !== 'starting' ||
    lifecycle.triggerTry !== command.triggerTry
  ) {
    return nothing
  }
  const started = event('JobStarted', {
    ...stamp(ctx),
    attemptId: command.attemptId,
    triggerTry: command.triggerTry,
    jobType: command.jobType,
    runId: command.runId,
    metadata: command.metadata,
    synchronous: command.synchronous,
  })
  if (command.synchronous) {
    const succeeded = event('JobSucceeded', {
      ...stamp(ctx),
      attemptId: command.attemptId,
      runId: command.runId,
      observedBy: 'synchronous-trigger',
    })
    return accept([started, ...afterSuccess(applyAll(state, [started]), ctx, succeeded)])
  }
  const timing = lifecycle.attempt.timing
  return accept([
    started,
    timer(ctx, timerIdFor.poll(command.attemptId, 1), ctx.now + timing.jobPollIntervalMs, {
      _tag: 'PollJob',
      attemptId: command.attemptId,
      pollNumber: 1,
    }),
    ...heartbeatDue(ctx, command.attemptId, 0),
  ])
}

/** A trigger try failed (A12–A14): retry after the backoff, or give up (permanent errors at once, D5). */
export const decideRecordTriggerFailure = (
  command: RecordTriggerFailure,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const where = locate(state, ctx, command.attemptId)
  if (where instanceof AttemptNotFound) return reject(where)
  if (where.kind === 'past') {
    return accept([
      event('StaleJobResultRecorded', {
        ...stamp(ctx),
        attemptId: command.attemptId,
        result: 'trigger-failed',
        detail: command.error,
      }),
    ])
  }
  const lifecycle = where.lifecycle
  if (
    lifecycle.status !== 'Triggering' ||
    lifecycle.phase !== 'starting' ||
    lifecycle.triggerTry !== command.triggerTry
  ) {
    return nothing
  }
  const timing = lifecycle.attempt.timing
  const giveUp = command.category === 'PERMANENT' || command.triggerTry >= timing.triggerMaxTries
  const category = command.category !== undefined ? { category: command.category } : {}
  if (giveUp) {
    const failed = event('TriggerFailed', {
      ...stamp(ctx),
      attemptId: command.attemptId,
      triggerTry: command.triggerTry,
      error: command.error,
      ...category,
    })
    const exhausted = event('TriggerRetriesExhausted', {
      ...stamp(ctx),
      attemptId: command.attemptId,
      tries: command.triggerTry,
      lastError: command.error,
    })
    return accept([failed, exhausted, ...slaVerdicts(applyAll(state, [failed, exhausted]), ctx, false)])
  }
  const retryAtMillis = ctx.now + timing.triggerBackoffMs * 2 ** (command.triggerTry - 1)
  const failed = event('TriggerFailed', {
    ...stamp(ctx),
    attemptId: command.attemptId,
    triggerTry: command.triggerTry,
    error: command.error,
    ...category,
    retryAt: instantOf(retryAtMillis),
  })
  return accept([
    failed,
    timer(ctx, timerIdFor.trigger(command.attemptId, command.triggerTry + 1), retryAtMillis, {
      _tag: 'RetryTrigger',
      attemptId: command.attemptId,
      triggerTry: command.triggerTry + 1,
    }),
  ])
}

/** A poll tick: ask for the job's status (A16–A22). */
export const decidePollJob = (
  command: PollJob,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const lifecycle = state.lifecycle
  if (lifecycle.status !== 'Polling' || lifecycle.attempt.attemptId !== command.attemptId) return nothing
  if (command.pollNumber !== lifecycle.pollsDone + 1 || !lifecycle.pollAnswered) return nothing
  return accept([
    event('JobStatusCheckRequested', {
      ...stamp(ctx),
      attemptId: command.attemptId,
      pollNumber: command.pollNumber,
      jobType: lifecycle.job.jobType,
      runId: lifecycle.job.runId,
      metadata: lifecycle.job.metadata,
    }),
  ])
}

/**
 * The job-failure retry decision (lifecycle §1.8, L3): the budget of the failure's category first, then
 * the calendar on the execution period, then a new attempt. While paused nothing is retried.
 */
const afterFailure = (
  state: RunState,
  ctx: Decide,
  failed: RunEvent,
  failedAttemptId: AttemptId,
  category: FailureCategory | undefined,
): ReadonlyArray<RunEvent> => {
  const after = applyAll(state, [failed])
  if (ctx.paused) return [failed, ...slaVerdicts(after, ctx, false)]
  const budget = retryBudgetOf(ctx.config, category)
  const used = state.reruns.filter((record) => record.reason === JOB_FAIL_RETRY).length
  const withCategory = category !== undefined ? { category } : {}
  if (used >= budget) {
    const exhausted = event('RetryBudgetExhausted', {
      ...stamp(ctx),
      failedAttemptId,
      retries: used,
      budget,
      ...withCategory,
    })
    return [failed, exhausted, ...slaVerdicts(after, ctx, false)]
  }
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) {
    return [
      failed,
      event('RetryBlockedByCalendar', { ...stamp(ctx), failedAttemptId }),
      ...slaVerdicts(after, ctx, false),
    ]
  }
  const granted = event('RetryGranted', {
    ...stamp(ctx),
    failedAttemptId,
    retryNumber: used + 1,
    budget,
    ...withCategory,
  })
  return [failed, granted, ...startAttempt(applyAll(after, [granted]), ctx, 'job-retry')]
}

/** Ends the polled attempt with an outcome (success, fail or timeout). */
export const settle = (
  state: RunState,
  ctx: Decide,
  lifecycle: Extract<LiveLifecycle, { status: 'Polling' }>,
  outcome: 'success' | 'fail' | 'timeout',
  observedBy: 'poll' | 'callback' | 'heartbeat',
  error: string | undefined,
  category: FailureCategory | undefined,
): ReadonlyArray<RunEvent> => {
  const attemptId = lifecycle.attempt.attemptId
  const runId = lifecycle.job.runId
  if (outcome === 'success') {
    return afterSuccess(state, ctx, event('JobSucceeded', { ...stamp(ctx), attemptId, runId, observedBy }))
  }
  const failed = event('JobFailed', {
    ...stamp(ctx),
    attemptId,
    runId,
    outcome,
    error: error ?? (outcome === 'timeout' ? 'job timed out' : 'job failed'),
    ...(category !== undefined ? { category } : {}),
    observedBy,
  })
  return afterFailure(state, ctx, failed, attemptId, category)
}

/** The answer to a status check (A20–A23). */
export const decideRecordJobStatus = (
  command: RecordJobStatus,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const where = locate(state, ctx, command.attemptId)
  if (where instanceof AttemptNotFound) return reject(where)
  if (where.kind === 'past') {
    return command.status === 'running'
      ? nothing
      : accept([
          event('StaleJobResultRecorded', {
            ...stamp(ctx),
            attemptId: command.attemptId,
            result: command.status,
            ...(command.message !== undefined ? { detail: command.message } : {}),
          }),
        ])
  }
  const lifecycle = where.lifecycle
  if (lifecycle.status !== 'Polling' || command.pollNumber !== lifecycle.pollsDone || lifecycle.pollAnswered)
    return nothing
  switch (command.status) {
    case 'succeeded':
      return accept(settle(state, ctx, lifecycle, 'success', 'poll', undefined, undefined))
    case 'failed':
      return accept(settle(state, ctx, lifecycle, 'fail', 'poll', command.message, command.category))
    case 'timeout':
      return accept(
        settle(state, ctx, lifecycle, 'timeout', 'poll', command.message, command.category ?? 'TIMEOUT'),
      )
    case 'running': {
      const timing = lifecycle.attempt.timing
      if (command.pollNumber * timing.jobPollIntervalMs >= timing.jobPollWindowMs) {
        const exhausted = event('JobPollExhausted', {
          ...stamp(ctx),
          attemptId: command.attemptId,
          runId: lifecycle.job.runId,
          polls: command.pollNumber,
          windowMs: timing.jobPollWindowMs,
        })
        return accept([exhausted, ...slaVerdicts(applyAll(state, [exhausted]), ctx, false)])
      }
      return accept([
        timer(
          ctx,
          timerIdFor.poll(command.attemptId, command.pollNumber + 1),
          ctx.now + timing.jobPollIntervalMs,
          {
            _tag: 'PollJob',
            attemptId: command.attemptId,
            pollNumber: command.pollNumber + 1,
          },
        ),
      ])
    }
  }
}

/** The job reported its own outcome (lifecycle §1.7, J1–J2), scoped to its attempt (D1). */
export const decideRecordJobCompletion = (
  command: RecordJobCompletion,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  if (ctx.config.dryRun) {
    return command.outcome === 'success'
      ? nothing
      : accept(decideDryRunJobFailure(state, ctx, command.category))
  }
  const where = locate(state, ctx, command.attemptId)
  if (where instanceof AttemptNotFound) return reject(where)
  if (where.kind === 'past') {
    const outcomeWasRecorded =
      (state.lifecycle.status === 'Completed' ||
        state.lifecycle.status === 'Failed' ||
        state.lifecycle.status === 'ValidationExhausted') &&
      state.lifecycle.attemptId === command.attemptId
    if (outcomeWasRecorded) return nothing
    return accept([
      event('StaleJobResultRecorded', {
        ...stamp(ctx),
        attemptId: command.attemptId,
        result:
          command.outcome === 'success' ? 'succeeded' : command.outcome === 'fail' ? 'failed' : 'timeout',
        ...(command.runId !== undefined ? { runId: command.runId } : {}),
        ...(command.error !== undefined ? { detail: command.error } : {}),
      }),
    ])
  }
  const lifecycle = where.lifecycle
  if (lifecycle.status !== 'Polling') return reject(new JobNotStartedYet({ attemptId: command.attemptId }))
  return accept(settle(state, ctx, lifecycle, command.outcome, 'callback', command.error, command.category))
}

/** Records the first sensor arrival (T0) and starts the relative SLA from it. */
export const firstArrival = (state: RunState, ctx: Decide, sensorKey: string): ReadonlyArray<RunEvent> => {
  if (state.firstSensorArrivalAt !== null) return []
  const recorded = event('FirstSensorArrivalRecorded', { ...stamp(ctx), sensorKey })
  return [recorded, ...scheduleRelativeSla(applyAll(state, [recorded]), ctx, ctx.at)]
}
