import type { Instant, RunEvent, RunEventOf, RunKey } from '@interlock/domain'
import type { AttemptStatus, AttemptView, RunStatus, RunView, SlaClockView, SlaStatus } from './sql/runs.ts'

// The run log as a pure fold: one RunView per run and one AttemptView per attempt, each changed by the
// run stream's events in log order. It follows the run decider's own fold (evolveRun): an event about an
// attempt that is no longer live changes that attempt's row at most, never the run's status.

const LIVE_RUN: ReadonlySet<RunStatus> = new Set(['evaluating', 'triggering', 'running'])
const LIVE_ATTEMPT: ReadonlySet<AttemptStatus> = new Set(['evaluating', 'triggering', 'running'])

/** A run before any of its events: waiting, with nothing started. */
export const openRun = (run: RunKey, at: Instant): RunView => ({
  pipelineId: run.pipelineId,
  scheduleId: run.scheduleId,
  period: run.period,
  status: 'waiting',
  dryRun: false,
  attemptCount: 0,
  currentAttemptId: null,
  jobRunId: null,
  failureCategory: null,
  failureReason: null,
  rerunCount: 0,
  openedAt: at,
  firstSensorAt: null,
  deferredUntil: null,
  startedAt: null,
  finishedAt: null,
  lockExpiresAt: null,
  sla: null,
  relativeSla: null,
  slaCritical: null,
  postRunStatus: null,
  dryRunTriggeredAt: null,
  configVersion: null,
  updatedAt: at,
})

/** The row of a new attempt. */
export const startAttempt = (run: RunKey, event: RunEventOf<'AttemptStarted'>): AttemptView => ({
  attemptId: event.attemptId,
  pipelineId: run.pipelineId,
  scheduleId: run.scheduleId,
  period: run.period,
  attemptNumber: event.attemptNumber,
  cause: event.cause,
  status: 'evaluating',
  sensorKey: event.sensorKey ?? null,
  rerunReason: event.rerunReason ?? null,
  jobType: null,
  jobRunId: null,
  failureCategory: null,
  failureReason: null,
  error: null,
  evaluations: 0,
  evaluationPassed: null,
  triggerTries: 0,
  polls: 0,
  startedAt: event.at,
  jobStartedAt: null,
  finishedAt: null,
  lockExpiresAt: event.lockExpiresAt,
  supersededBy: null,
  cancelRequestedAt: null,
  configVersion: event.configVersion,
  updatedAt: event.at,
})

type SlaKind = 'absolute' | 'relative'

const clockField = (kind: SlaKind): 'sla' | 'relativeSla' => (kind === 'absolute' ? 'sla' : 'relativeSla')

/** Moves an SLA clock to `status` when it is in one of the `from` states; a missing clock stays missing. */
const moveClock = (
  run: RunView,
  kind: SlaKind,
  from: ReadonlyArray<SlaStatus>,
  status: SlaStatus,
): Partial<RunView> | null => {
  const clock: SlaClockView | null = run[clockField(kind)]
  if (clock === null || !from.includes(clock.status)) return null
  return { [clockField(kind)]: { ...clock, status } }
}

/** What an event changes in its run's row, or null when nothing. */
function runChange(run: RunView, event: RunEvent): Partial<RunView> | null {
  const ofLiveAttempt = (attemptId: string): boolean =>
    run.currentAttemptId === attemptId && LIVE_RUN.has(run.status)
  switch (event._tag) {
    case 'FirstSensorArrivalRecorded':
      return run.firstSensorAt === null ? { firstSensorAt: event.at } : null
    case 'TriggerExcluded':
      return run.status === 'waiting' ? { status: 'excluded' } : null
    case 'AttemptDeferred':
      return { deferredUntil: event.notBefore }
    case 'AttemptStarted':
      return {
        status: 'evaluating',
        deferredUntil: null,
        attemptCount: Math.max(run.attemptCount, event.attemptNumber),
        currentAttemptId: event.attemptId,
        jobRunId: null,
        failureCategory: null,
        failureReason: null,
        startedAt: event.at,
        finishedAt: null,
        lockExpiresAt: event.lockExpiresAt,
        configVersion: event.configVersion,
      }
    case 'JobStartRequested':
      return ofLiveAttempt(event.attemptId) && run.status !== 'running' ? { status: 'triggering' } : null
    case 'JobStarted':
      return ofLiveAttempt(event.attemptId) ? { status: 'running', jobRunId: event.runId } : null
    case 'JobSucceeded':
      return ofLiveAttempt(event.attemptId)
        ? { status: 'succeeded', finishedAt: event.at, jobRunId: run.jobRunId ?? event.runId }
        : null
    case 'RunCompletedWithoutJob':
      // A readiness-only pipeline: ready is done; no job, so no job run id.
      return ofLiveAttempt(event.attemptId) ? { status: 'succeeded', finishedAt: event.at } : null
    case 'JobFailed':
      return ofLiveAttempt(event.attemptId)
        ? {
            status: 'failed',
            finishedAt: event.at,
            failureCategory: event.category ?? null,
            failureReason: event.outcome === 'timeout' ? 'job-timeout' : 'job-failed',
          }
        : null
    case 'JobPollExhausted':
      return ofLiveAttempt(event.attemptId)
        ? { status: 'failed', finishedAt: event.at, failureReason: 'job-poll-exhausted' }
        : null
    case 'RunTimedOut':
      return ofLiveAttempt(event.attemptId)
        ? { status: 'failed', finishedAt: event.at, failureReason: 'lock-expired' }
        : null
    case 'ValidationExhausted':
      return ofLiveAttempt(event.attemptId) ? { status: 'validation_exhausted', finishedAt: event.at } : null
    case 'TriggerRetriesExhausted':
      // The run's lock is released: a later sensor may start a new attempt.
      return ofLiveAttempt(event.attemptId)
        ? {
            status: 'failed',
            finishedAt: event.at,
            failureReason: 'trigger-retries-exhausted',
            lockExpiresAt: null,
          }
        : null
    case 'TriggerWindowClosed': {
      // Closes a run that holds no lock: never started, excluded, or released after the trigger gave up.
      const idle =
        run.status === 'waiting' ||
        run.status === 'excluded' ||
        (run.status === 'failed' && run.failureReason === 'trigger-retries-exhausted')
      return idle ? { status: 'failed', finishedAt: event.at, failureReason: 'trigger-window-closed' } : null
    }
    case 'RerunAccepted':
      return { rerunCount: run.rerunCount + 1 }
    case 'PostRunBaselineCaptured':
      return { postRunStatus: 'baseline-captured' }
    case 'PostRunBaselineCleared':
      return run.postRunStatus === null ? null : { postRunStatus: null }
    case 'PostRunValidated':
      return { postRunStatus: event.passed ? 'passed' : 'failed' }
    case 'PostRunDriftDetected':
      return event.inflight ? null : { postRunStatus: 'drift' }
    case 'PostRunSensorMissing':
      return { postRunStatus: 'sensor-missing' }
    case 'SlaScheduled':
      return {
        [clockField(event.kind)]: { warningAt: event.warningAt, breachAt: event.breachAt, status: 'pending' },
        slaCritical: event.critical,
      }
    case 'SlaWarningRaised':
      return moveClock(run, event.kind, ['pending'], 'warning')
    case 'SlaBreachRaised':
      return moveClock(run, event.kind, ['pending', 'warning'], 'breached')
    case 'SlaVerdictReached':
      return moveClock(run, event.kind, ['pending', 'warning', 'breached', 'met'], event.verdict)
    case 'DryRunWouldTrigger':
      return { dryRun: true, dryRunTriggeredAt: run.dryRunTriggeredAt ?? event.at }
    case 'DryRunLateData':
    case 'DryRunSlaProjected':
    case 'DryRunCompleted':
    case 'DryRunDriftDetected':
    case 'DryRunWouldRerun':
    case 'DryRunRerunRejected':
    case 'DryRunWouldRetry':
    case 'DryRunRetryExhausted':
      return run.dryRun ? null : { dryRun: true }
    default:
      return null
  }
}

/** Folds one event into its run's row; returns the same object when the event changes nothing. */
export function evolveRunView(run: RunView, event: RunEvent): RunView {
  const change = runChange(run, event)
  return change === null ? run : { ...run, ...change, updatedAt: event.at }
}

/** What an event changes in the row of the attempt it names, or null when nothing. */
function attemptChange(attempt: AttemptView, event: RunEvent): Partial<AttemptView> | null {
  const live = LIVE_ATTEMPT.has(attempt.status)
  const finished = { finishedAt: event.at }
  switch (event._tag) {
    case 'AttemptSuperseded':
      return live ? { status: 'superseded', supersededBy: event.supersededBy, ...finished } : null
    case 'RunEvaluated':
      return {
        evaluations: Math.max(attempt.evaluations, event.evaluationNumber),
        evaluationPassed: event.passed,
      }
    case 'EvaluationSkipped':
      return { evaluations: Math.max(attempt.evaluations, event.evaluationNumber) }
    case 'ValidationExhausted':
      return live
        ? {
            status: 'validation_exhausted',
            evaluations: Math.max(attempt.evaluations, event.evaluations),
            ...finished,
          }
        : null
    case 'JobStartRequested':
      return {
        status: live && attempt.status !== 'running' ? 'triggering' : attempt.status,
        jobType: event.jobType,
        triggerTries: Math.max(attempt.triggerTries, event.triggerTry),
      }
    case 'TriggerFailed':
      return {
        triggerTries: Math.max(attempt.triggerTries, event.triggerTry),
        error: event.error,
        failureCategory: event.category ?? null,
      }
    case 'TriggerRetriesExhausted':
      return live
        ? {
            status: 'failed',
            failureReason: 'trigger-retries-exhausted',
            error: event.lastError,
            triggerTries: Math.max(attempt.triggerTries, event.tries),
            ...finished,
          }
        : null
    case 'JobStarted':
      return {
        status: live ? 'running' : attempt.status,
        jobType: event.jobType,
        jobRunId: event.runId,
        jobStartedAt: event.at,
        triggerTries: Math.max(attempt.triggerTries, event.triggerTry),
      }
    case 'JobStatusCheckRequested':
      return { polls: Math.max(attempt.polls, event.pollNumber) }
    case 'JobSucceeded':
      return live ? { status: 'succeeded', jobRunId: attempt.jobRunId ?? event.runId, ...finished } : null
    case 'RunCompletedWithoutJob':
      return live ? { status: 'succeeded', ...finished } : null
    case 'JobFailed':
      return live
        ? {
            status: 'failed',
            failureReason: event.outcome === 'timeout' ? 'job-timeout' : 'job-failed',
            failureCategory: event.category ?? null,
            error: event.error,
            jobRunId: attempt.jobRunId ?? event.runId,
            ...finished,
          }
        : null
    case 'JobPollExhausted':
      return live
        ? {
            status: 'failed',
            failureReason: 'job-poll-exhausted',
            polls: Math.max(attempt.polls, event.polls),
            ...finished,
          }
        : null
    case 'RunTimedOut':
      return live ? { status: 'failed', failureReason: 'lock-expired', ...finished } : null
    case 'StaleJobResultRecorded':
      // A superseded attempt's job may report its run id late: keep it, it is the job to look for.
      return event.runId !== undefined && attempt.jobRunId === null ? { jobRunId: event.runId } : null
    case 'JobCancelRequested':
      return { cancelRequestedAt: event.at }
    default:
      return null
  }
}

/** Folds one event into the row of the attempt it names; returns the same object when nothing changes. */
export function evolveAttemptView(attempt: AttemptView, event: RunEvent): AttemptView {
  const change = attemptChange(attempt, event)
  return change === null ? attempt : { ...attempt, ...change, updatedAt: event.at }
}

/** The attempt an event is about, when it is about one (the new attempt of a rerun is its AttemptStarted's). */
export function attemptIdOf(event: RunEvent): string | null {
  if (event._tag === 'RerunAccepted' || event._tag === 'TriggerRecovered') return null
  return 'attemptId' in event && typeof event.attemptId === 'string' ? event.attemptId : null
}
