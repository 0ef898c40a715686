import type { AttemptId } from '../shared/attempt-id.ts'
import { unreachable } from '../shared/decision.ts'
import type { Instant } from '../shared/instant.ts'
import type { AttemptTiming } from './events/attempt-events.ts'
import type { AttemptCause, SensorData } from './events/common.ts'
import type { RunEvent } from './events.ts'

/** The attempt that holds the run's lock while it evaluates, triggers or polls. */
export interface LiveAttempt {
  readonly attemptId: AttemptId
  readonly attemptNumber: number
  readonly cause: AttemptCause
  readonly startedAt: Instant
  readonly lockExpiresAt: Instant
  readonly timing: AttemptTiming
}

/** A started job, as the trigger reported it. */
export interface StartedJob {
  readonly jobType: string
  readonly runId: string
  readonly metadata: Readonly<Record<string, unknown>>
}

/**
 * Where the run is. `Idle`: no lock (never started, or released after the trigger gave up). `Waiting`: the
 * period was opened before its schedule's `after` time and starts at `notBefore` (C14). Evaluating,
 * Triggering and Polling are the live statuses (they hold the lock). Completed, Failed and
 * ValidationExhausted are outcomes: they keep the lock; only a rerun reopens the period.
 */
export type RunLifecycle =
  | { readonly status: 'Idle' }
  | {
      readonly status: 'Waiting'
      readonly notBefore: Instant
      readonly cause: 'sensor' | 'cron' | 'recovered'
      readonly sensorKey: string | null
    }
  | { readonly status: 'Evaluating'; readonly attempt: LiveAttempt; readonly evaluationsDone: number }
  | {
      readonly status: 'Triggering'
      readonly attempt: LiveAttempt
      readonly triggerTry: number
      /** `starting`: try `triggerTry` was requested and is unanswered; `backing-off`: waiting to ask it. */
      readonly phase: 'starting' | 'backing-off'
    }
  | {
      readonly status: 'Polling'
      readonly attempt: LiveAttempt
      readonly job: StartedJob
      /** Status checks asked for so far. */
      readonly pollsDone: number
      /** The last check was answered (the next poll is scheduled), so another may be asked for. */
      readonly pollAnswered: boolean
      /** Heartbeats the job sent so far (`JobHeartbeatRecorded.sequence` of the last one). */
      readonly heartbeats: number
      /** The job's last sign of life: its start, or its last heartbeat. */
      readonly lastSignAt: Instant
    }
  | { readonly status: 'Completed'; readonly attemptId: AttemptId; readonly completedAt: Instant }
  | {
      readonly status: 'Failed'
      readonly attemptId: AttemptId | null
      readonly failedAt: Instant
      readonly cause: 'job-failed' | 'job-poll-exhausted' | 'timed-out' | 'trigger-window-closed'
    }
  | { readonly status: 'ValidationExhausted'; readonly attemptId: AttemptId; readonly exhaustedAt: Instant }

export type RunStatus = RunLifecycle['status']
export type LiveLifecycle = Extract<RunLifecycle, { readonly attempt: LiveAttempt }>

/** The original's job-log vocabulary (lifecycle §0.10), kept for the circuit breaker and SLA suppression. */
export type JobLogEntry =
  | 'success'
  | 'fail'
  | 'timeout'
  | 'infra-trigger-failure'
  | 'infra-trigger-exhausted'
  | 'validation-exhausted'
  | 'job-poll-exhausted'
  | 'late-data-arrival'
  | 'rerun-accepted'
  | 'rerun-rejected'

/** One SLA clock of the period, with its stored instants (L4) and which alerts it raised (L5). */
export interface SlaClock {
  /** The configured deadline (`HH:MM` / `:MM`) of an absolute clock, shown in its alerts; null when relative. */
  readonly deadline: string | null
  readonly warningAt: Instant | null
  readonly breachAt: Instant
  readonly critical: boolean
  readonly warningRaised: boolean
  readonly breachRaised: boolean
  readonly verdict: 'met' | 'breached' | null
}

/** One entry of the rerun ledger: every rerun and every job-failure retry of the period (D20: kept forever). */
export interface RerunRecord {
  readonly reason: string
  readonly at: Instant
  readonly attemptId: AttemptId
}

/** Everything the run decider needs to know about one period, folded from its stream. */
export interface RunState {
  readonly lifecycle: RunLifecycle
  /** Attempts started so far; the next one is number `attempts + 1`. */
  readonly attempts: number
  /** The attempts whose job was started: never more than one job per attempt. */
  readonly jobsStarted: ReadonlyArray<AttemptId>
  /** Latest reading per sensor key of this period. */
  readonly sensors: Readonly<Record<string, { readonly data: SensorData; readonly recordedAt: Instant }>>
  readonly firstSensorArrivalAt: Instant | null
  readonly latestJobLog: { readonly entry: JobLogEntry; readonly at: Instant } | null
  readonly lastSuccessAt: Instant | null
  readonly reruns: ReadonlyArray<RerunRecord>
  /** Ids of the rerun requests already decided (a repeated request decides nothing). */
  readonly rerunRequests: ReadonlyArray<string>
  readonly baseline: Readonly<Record<string, SensorData>> | null
  readonly sla: { readonly absolute: SlaClock | null; readonly relative: SlaClock | null }
  readonly watchdog: {
    readonly scheduleMissed: boolean
    readonly inclusionMissed: boolean
    readonly postRunMissing: boolean
  }
  /** Dry-run marker: when a live pipeline would have triggered (first one wins, §7.6). */
  readonly dryRunTriggeredAt: Instant | null
}

export const initialRunState: RunState = {
  lifecycle: { status: 'Idle' },
  attempts: 0,
  jobsStarted: [],
  sensors: {},
  firstSensorArrivalAt: null,
  latestJobLog: null,
  lastSuccessAt: null,
  reruns: [],
  rerunRequests: [],
  baseline: null,
  sla: { absolute: null, relative: null },
  watchdog: { scheduleMissed: false, inclusionMissed: false, postRunMissing: false },
  dryRunTriggeredAt: null,
}

/** The live attempt, if the run has one. */
export const liveAttemptOf = (state: RunState): LiveAttempt | null =>
  'attempt' in state.lifecycle ? state.lifecycle.attempt : null

/** Has this period ever had an attempt or been closed (the original's "trigger row exists")? */
export const hasRunRecord = (state: RunState): boolean =>
  state.attempts > 0 || (state.lifecycle.status !== 'Idle' && state.lifecycle.status !== 'Waiting')

const withJobLog = (state: RunState, entry: JobLogEntry, at: Instant): RunState => ({
  ...state,
  latestJobLog: { entry, at },
})

const updateClock = (
  state: RunState,
  kind: 'absolute' | 'relative',
  change: (clock: SlaClock) => SlaClock,
): RunState => {
  const clock = state.sla[kind]
  return clock === null ? state : { ...state, sla: { ...state.sla, [kind]: change(clock) } }
}

/** Folds one event into the state. Never throws; events about other attempts leave the lifecycle alone. */
export const evolve = (state: RunState, event: RunEvent): RunState => {
  const lifecycle = state.lifecycle
  const isLive = (attemptId: AttemptId): boolean =>
    'attempt' in lifecycle && lifecycle.attempt.attemptId === attemptId
  switch (event._tag) {
    case 'SensorReadingRecorded':
      return {
        ...state,
        sensors: { ...state.sensors, [event.key]: { data: event.data, recordedAt: event.at } },
      }
    case 'FirstSensorArrivalRecorded':
      return state.firstSensorArrivalAt === null ? { ...state, firstSensorArrivalAt: event.at } : state
    case 'AttemptDeferred':
      return lifecycle.status === 'Idle' || lifecycle.status === 'Waiting'
        ? {
            ...state,
            lifecycle: {
              status: 'Waiting',
              notBefore: event.notBefore,
              cause: event.cause,
              sensorKey: event.sensorKey ?? null,
            },
          }
        : state
    case 'AttemptStarted':
      return {
        ...state,
        attempts: Math.max(state.attempts, event.attemptNumber),
        lifecycle: {
          status: 'Evaluating',
          evaluationsDone: 0,
          attempt: {
            attemptId: event.attemptId,
            attemptNumber: event.attemptNumber,
            cause: event.cause,
            startedAt: event.at,
            lockExpiresAt: event.lockExpiresAt,
            timing: event.timing,
          },
        },
      }
    case 'RunEvaluated':
    case 'EvaluationSkipped':
      if (lifecycle.status !== 'Evaluating' || !isLive(event.attemptId)) return state
      return {
        ...state,
        lifecycle: {
          ...lifecycle,
          evaluationsDone: Math.max(lifecycle.evaluationsDone, event.evaluationNumber),
        },
      }
    case 'JobStartRequested':
      if ('attempt' in lifecycle && isLive(event.attemptId) && lifecycle.status !== 'Polling') {
        return {
          ...state,
          lifecycle: {
            status: 'Triggering',
            attempt: lifecycle.attempt,
            triggerTry: event.triggerTry,
            phase: 'starting',
          },
        }
      }
      return state
    case 'TriggerFailed': {
      const next = withJobLog(state, 'infra-trigger-failure', event.at)
      if (lifecycle.status !== 'Triggering' || !isLive(event.attemptId)) return next
      return { ...next, lifecycle: { ...lifecycle, triggerTry: event.triggerTry, phase: 'backing-off' } }
    }
    case 'TriggerRetriesExhausted': {
      const next = withJobLog(state, 'infra-trigger-exhausted', event.at)
      return isLive(event.attemptId) ? { ...next, lifecycle: { status: 'Idle' } } : next
    }
    case 'JobStarted':
      if (!('attempt' in lifecycle) || !isLive(event.attemptId)) return state
      return {
        ...state,
        jobsStarted: [...state.jobsStarted, event.attemptId],
        lifecycle: {
          status: 'Polling',
          attempt: lifecycle.attempt,
          job: { jobType: event.jobType, runId: event.runId, metadata: event.metadata },
          pollsDone: 0,
          pollAnswered: true,
          heartbeats: 0,
          lastSignAt: event.at,
        },
      }
    case 'JobHeartbeatRecorded':
      if (lifecycle.status !== 'Polling' || !isLive(event.attemptId)) return state
      return { ...state, lifecycle: { ...lifecycle, heartbeats: event.sequence, lastSignAt: event.at } }
    case 'JobStatusCheckRequested':
      if (lifecycle.status !== 'Polling' || !isLive(event.attemptId)) return state
      return { ...state, lifecycle: { ...lifecycle, pollsDone: event.pollNumber, pollAnswered: false } }
    case 'TimerRequested':
      if (
        event.command._tag !== 'PollJob' ||
        lifecycle.status !== 'Polling' ||
        !isLive(event.command.attemptId)
      ) {
        return state
      }
      return { ...state, lifecycle: { ...lifecycle, pollAnswered: true } }
    case 'JobSucceeded':
    case 'RunCompletedWithoutJob': {
      const next = { ...withJobLog(state, 'success', event.at), lastSuccessAt: event.at }
      return isLive(event.attemptId)
        ? { ...next, lifecycle: { status: 'Completed', attemptId: event.attemptId, completedAt: event.at } }
        : next
    }
    case 'JobFailed': {
      const next = withJobLog(state, event.outcome, event.at)
      return isLive(event.attemptId)
        ? {
            ...next,
            lifecycle: {
              status: 'Failed',
              attemptId: event.attemptId,
              failedAt: event.at,
              cause: 'job-failed',
            },
          }
        : next
    }
    case 'JobPollExhausted': {
      const next = withJobLog(state, 'job-poll-exhausted', event.at)
      if (!isLive(event.attemptId)) return next
      return {
        ...next,
        lifecycle: {
          status: 'Failed',
          attemptId: event.attemptId,
          failedAt: event.at,
          cause: 'job-poll-exhausted',
        },
      }
    }
    case 'ValidationExhausted': {
      const next = withJobLog(state, 'validation-exhausted', event.at)
      if (!isLive(event.attemptId)) return next
      return {
        ...next,
        lifecycle: { status: 'ValidationExhausted', attemptId: event.attemptId, exhaustedAt: event.at },
      }
    }
    case 'RunTimedOut':
      if (!isLive(event.attemptId)) return state
      return {
        ...state,
        lifecycle: { status: 'Failed', attemptId: event.attemptId, failedAt: event.at, cause: 'timed-out' },
      }
    case 'TriggerWindowClosed':
      return lifecycle.status === 'Idle'
        ? {
            ...state,
            lifecycle: {
              status: 'Failed',
              attemptId: null,
              failedAt: event.at,
              cause: 'trigger-window-closed',
            },
          }
        : state
    case 'RetryGranted':
      return {
        ...state,
        reruns: [...state.reruns, { reason: JOB_FAIL_RETRY, at: event.at, attemptId: event.failedAttemptId }],
      }
    case 'RerunAccepted':
      return {
        ...withJobLog(state, 'rerun-accepted', event.at),
        reruns: [...state.reruns, { reason: event.reason, at: event.at, attemptId: event.attemptId }],
        rerunRequests: [...state.rerunRequests, event.requestId],
      }
    case 'RerunRejected':
    case 'RerunBlockedByCalendar':
      return {
        ...withJobLog(state, 'rerun-rejected', event.at),
        rerunRequests: [...state.rerunRequests, event.requestId],
      }
    case 'RerunWithoutRun':
    case 'DryRunWouldRerun':
    case 'DryRunRerunRejected':
      return { ...state, rerunRequests: [...state.rerunRequests, event.requestId] }
    case 'LateDataArrived':
      return withJobLog(state, 'late-data-arrival', event.at)
    case 'PostRunBaselineCaptured':
      return { ...state, baseline: event.baseline }
    case 'PostRunBaselineCleared':
      return { ...state, baseline: null }
    case 'SlaScheduled':
      return {
        ...state,
        sla: {
          ...state.sla,
          [event.kind]: {
            deadline: event.deadline ?? null,
            warningAt: event.warningAt,
            breachAt: event.breachAt,
            critical: event.critical,
            warningRaised: false,
            breachRaised: false,
            verdict: null,
          },
        },
      }
    case 'SlaWarningRaised':
      return updateClock(state, event.kind, (clock) => ({ ...clock, warningRaised: true }))
    case 'SlaBreachRaised':
      return updateClock(state, event.kind, (clock) => ({ ...clock, breachRaised: true }))
    case 'SlaVerdictReached':
      return updateClock(state, event.kind, (clock) => ({ ...clock, verdict: event.verdict }))
    case 'ScheduleMissed':
      return { ...state, watchdog: { ...state.watchdog, scheduleMissed: true } }
    case 'InclusionDateMissed':
      return { ...state, watchdog: { ...state.watchdog, inclusionMissed: true } }
    case 'PostRunSensorMissing':
      return { ...state, watchdog: { ...state.watchdog, postRunMissing: true } }
    case 'DryRunWouldTrigger':
      return state.dryRunTriggeredAt === null ? { ...state, dryRunTriggeredAt: event.at } : state
    case 'TriggerExcluded':
    case 'RunNowEvaluated':
    case 'AttemptSuperseded':
    case 'StaleJobResultRecorded':
    case 'JobCancelRequested':
    case 'RetryBudgetExhausted':
    case 'RetryBlockedByCalendar':
    case 'PostRunDriftDetected':
    case 'DriftRerunRequested':
    case 'DriftRerunBlockedByCalendar':
    case 'PostRunValidated':
    case 'TriggerRecovered':
    case 'DryRunLateData':
    case 'DryRunSlaProjected':
    case 'DryRunCompleted':
    case 'DryRunDriftDetected':
    case 'DryRunWouldRetry':
    case 'DryRunRetryExhausted':
    // The JobFailed that follows a missed heartbeat ends the attempt.
    case 'JobHeartbeatMissed':
      return state
    default:
      return unreachable(event)
  }
}

/** The ledger reason of an automatic job-failure retry (lifecycle §1.8). */
export const JOB_FAIL_RETRY = 'job-fail-retry'
