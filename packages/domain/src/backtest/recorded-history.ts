import type { RunCommand } from '../run/commands.ts'
import type { RunEvent, RunEventOf } from '../run/events.ts'
import type { AttemptId } from '../shared/attempt-id.ts'
import { epochMillisOf } from '../shared/instant.ts'
import { type RunKey, runStreamId } from '../shared/run-key.ts'

/** One event of a run stream as the log holds it: the decoded event and the id of the command that appended it. */
export interface RecordedRunEvent {
  readonly event: RunEvent
  /** `metadata.commandId`; timers append under `timer:<stream>/<timerId>`. */
  readonly commandId?: string | undefined
}

/** The recorded stream of one period, oldest event first. */
export interface RecordedRun {
  readonly run: RunKey
  readonly events: ReadonlyArray<RecordedRunEvent>
}

/**
 * A command due at an instant. `order` breaks ties between commands due at the same instant: recorded
 * inputs carry the position of their append in the stream, so a replay keeps the order the live run saw.
 */
export interface ScheduledCommand {
  readonly at: number
  readonly order: number
  readonly command: RunCommand
  /** Set on a timer's command: its appends carry `timer:<stream>/<timerId>` as command id. */
  readonly timerId?: string
}

/** When a live timer fired, as its append shows. */
interface FiredTimer {
  readonly fireAt: string
  readonly firedAt: number
  readonly order: number
}

/** What the live run learnt about the job of one attempt, and when (job outcomes as recorded). */
export interface RecordedJob {
  /** The instant each trigger try was asked for. */
  readonly requestedAt: ReadonlyMap<number, number>
  /** The answer to each trigger try (started, or failed). */
  readonly startAnswers: ReadonlyMap<number, ScheduledCommand>
  /** The answer to each status check, by poll number. */
  readonly pollAnswers: ReadonlyMap<number, ScheduledCommand>
  /** Completion callbacks the job sent. */
  readonly completions: ReadonlyArray<ScheduledCommand>
  /** The outcome a poll observed, for checks the live run never made (another poll interval). */
  readonly polledOutcome: ScheduledCommand | null
}

/**
 * A recorded run read back as what it received: the inputs from outside (sensor readings, cron fires,
 * rerun requests, watchdog checks that decided something), the instants its timers fired, its attempts'
 * causes and each attempt's job as the services reported it.
 */
export interface RecordedInputs {
  readonly inputs: ReadonlyArray<ScheduledCommand>
  readonly timers: ReadonlyMap<string, FiredTimer>
  readonly attemptCauses: ReadonlyMap<AttemptId, string>
  readonly jobs: ReadonlyMap<AttemptId, RecordedJob>
}

interface MutableJob {
  requestedAt: Map<number, number>
  startAnswers: Map<number, ScheduledCommand>
  pollAnswers: Map<number, ScheduledCommand>
  completions: ScheduledCommand[]
  polledOutcome: ScheduledCommand | null
  pollsAsked: number
}

/** The instant an event was decided at (every run event carries `at`). */
export const eventMillis = (event: RunEvent): number => epochMillisOf(event.at)

/** Consecutive events appended by one command (events without a command id stand alone). */
const appendsOf = (
  events: ReadonlyArray<RecordedRunEvent>,
): ReadonlyArray<ReadonlyArray<RecordedRunEvent>> => {
  const appends: RecordedRunEvent[][] = []
  let current: RecordedRunEvent[] = []
  for (const recorded of events) {
    const previous = current[0]
    if (
      previous !== undefined &&
      (recorded.commandId === undefined || recorded.commandId !== previous.commandId)
    ) {
      appends.push(current)
      current = []
    }
    current.push(recorded)
  }
  if (current.length > 0) appends.push(current)
  return appends
}

const REQUEST_EVENTS = new Set<RunEvent['_tag']>([
  'RerunAccepted',
  'RerunRejected',
  'RerunBlockedByCalendar',
  'RerunWithoutRun',
  'DryRunWouldRerun',
  'DryRunRerunRejected',
])

/** The command an append from outside the run answered, when its effects name it; undefined otherwise. */
const inputOf = (events: ReadonlyArray<RunEvent>): RunCommand | undefined => {
  const first = events[0]
  if (first === undefined) return undefined
  switch (first._tag) {
    case 'SensorReadingRecorded':
      return { _tag: 'RecordSensorReading', key: first.key, data: first.data }
    case 'ScheduleMissed':
      return { _tag: 'CheckMissedSchedule', expectedAt: first.expectedAt, monitoringSince: first.expectedAt }
    case 'InclusionDateMissed':
      return { _tag: 'CheckInclusionDate', expectedAt: first.expectedAt }
    case 'RunNowEvaluated':
      return { _tag: 'RunNow', requestId: first.requestId }
    case 'RunTimedOut':
      return { _tag: 'CheckStaleRun' }
    case 'TriggerWindowClosed':
      return { _tag: 'CheckTriggerDeadline', deadlineAt: first.deadlineAt }
    case 'PostRunSensorMissing':
      return { _tag: 'CheckPostRunSensors' }
    case 'SlaWarningRaised':
    case 'SlaBreachRaised':
      return first.kind === 'relative' ? { _tag: 'CheckRelativeSla' } : { _tag: 'ScheduleSla' }
    default:
      break
  }
  const request = events.find((event) => REQUEST_EVENTS.has(event._tag))
  if (request !== undefined && 'requestId' in request && 'reason' in request) {
    return { _tag: 'RequestRerun', requestId: request.requestId, reason: request.reason }
  }
  const opened = events.find(
    (event) =>
      ((event._tag === 'AttemptStarted' || event._tag === 'AttemptDeferred') &&
        (event.cause === 'cron' || event.cause === 'recovered')) ||
      (event._tag === 'TriggerExcluded' && event.source === 'cron') ||
      (event._tag === 'DryRunWouldTrigger' && event.sensorKey === 'cron'),
  )
  if (opened !== undefined) {
    return 'cause' in opened && opened.cause === 'recovered'
      ? { _tag: 'ReconcileTrigger' }
      : { _tag: 'FireCron', firedAt: opened.at }
  }
  if (first._tag === 'SlaScheduled') return { _tag: 'ScheduleSla' }
  return undefined
}

const jobOf = (jobs: Map<AttemptId, MutableJob>, attemptId: AttemptId): MutableJob => {
  const known = jobs.get(attemptId)
  if (known !== undefined) return known
  const job: MutableJob = {
    requestedAt: new Map(),
    startAnswers: new Map(),
    pollAnswers: new Map(),
    completions: [],
    polledOutcome: null,
    pollsAsked: 0,
  }
  jobs.set(attemptId, job)
  return job
}

const outcomeStatus = (
  event: RunEventOf<'JobSucceeded'> | RunEventOf<'JobFailed'>,
): 'succeeded' | 'failed' | 'timeout' =>
  event._tag === 'JobSucceeded' ? 'succeeded' : event.outcome === 'fail' ? 'failed' : 'timeout'

/** Records what a job-answer append tells about its attempt's job. */
const recordJobAnswer = (
  jobs: Map<AttemptId, MutableJob>,
  first: RunEvent,
  at: number,
  order: number,
): boolean => {
  const scheduled = (command: RunCommand): ScheduledCommand => ({ at, order, command })
  switch (first._tag) {
    case 'JobStarted':
      jobOf(jobs, first.attemptId).startAnswers.set(
        first.triggerTry,
        scheduled({
          _tag: 'RecordJobStarted',
          attemptId: first.attemptId,
          triggerTry: first.triggerTry,
          jobType: first.jobType,
          runId: first.runId,
          metadata: first.metadata,
          synchronous: first.synchronous,
        }),
      )
      return true
    case 'TriggerFailed':
      jobOf(jobs, first.attemptId).startAnswers.set(
        first.triggerTry,
        scheduled({
          _tag: 'RecordTriggerFailure',
          attemptId: first.attemptId,
          triggerTry: first.triggerTry,
          error: first.error,
          ...(first.category !== undefined ? { category: first.category } : {}),
        }),
      )
      return true
    case 'JobSucceeded':
    case 'JobFailed': {
      const job = jobOf(jobs, first.attemptId)
      const status = outcomeStatus(first)
      const message = first._tag === 'JobFailed' ? { message: first.error } : {}
      const category =
        first._tag === 'JobFailed' && first.category !== undefined ? { category: first.category } : {}
      if (first.observedBy === 'callback') {
        job.completions.push(
          scheduled({
            _tag: 'RecordJobCompletion',
            attemptId: first.attemptId,
            outcome: status === 'succeeded' ? 'success' : status === 'failed' ? 'fail' : 'timeout',
            runId: first.runId,
            ...(first._tag === 'JobFailed' ? { error: first.error } : {}),
            ...category,
          }),
        )
        return true
      }
      if (first.observedBy !== 'poll') return false
      const answer = scheduled({
        _tag: 'RecordJobStatus',
        attemptId: first.attemptId,
        pollNumber: Math.max(job.pollsAsked, 1),
        status,
        ...message,
        ...category,
      })
      job.pollAnswers.set(Math.max(job.pollsAsked, 1), answer)
      job.polledOutcome = answer
      return true
    }
    case 'JobPollExhausted': {
      const job = jobOf(jobs, first.attemptId)
      job.pollAnswers.set(
        first.polls,
        scheduled({
          _tag: 'RecordJobStatus',
          attemptId: first.attemptId,
          pollNumber: first.polls,
          status: 'running',
        }),
      )
      return true
    }
    case 'TimerRequested': {
      if (first.command._tag !== 'PollJob' || first.command.pollNumber < 2) return false
      const attemptId = first.command.attemptId
      const pollNumber = first.command.pollNumber - 1
      jobOf(jobs, attemptId).pollAnswers.set(
        pollNumber,
        scheduled({ _tag: 'RecordJobStatus', attemptId, pollNumber, status: 'running' }),
      )
      return true
    }
    default:
      return false
  }
}

/**
 * Reads a recorded run back into its inputs. Appends are told apart by their command id (timers) and by
 * the first event they hold, which is always the direct effect of the command that made them.
 */
export const recordedInputsOf = (recorded: RecordedRun): RecordedInputs => {
  const timerPrefix = `timer:${runStreamId(recorded.run)}/`
  const inputs: ScheduledCommand[] = []
  const requested = new Map<string, string>()
  const timers = new Map<string, FiredTimer>()
  const attemptCauses = new Map<AttemptId, string>()
  const jobs = new Map<AttemptId, MutableJob>()
  appendsOf(recorded.events).forEach((append, order) => {
    const events = append.map((recordedEvent) => recordedEvent.event)
    const first = events[0]!
    const at = eventMillis(first)
    for (const event of events) {
      if (event._tag === 'TimerRequested') requested.set(event.timerId, event.fireAt)
      if (event._tag === 'AttemptStarted') attemptCauses.set(event.attemptId, event.cause)
      if (event._tag === 'JobStartRequested')
        jobOf(jobs, event.attemptId).requestedAt.set(event.triggerTry, at)
      if (event._tag === 'JobStatusCheckRequested') jobOf(jobs, event.attemptId).pollsAsked = event.pollNumber
    }
    const commandId = append[0]?.commandId
    if (commandId?.startsWith(timerPrefix) === true) {
      const timerId = commandId.slice(timerPrefix.length)
      const fireAt = requested.get(timerId)
      if (fireAt !== undefined) timers.set(timerId, { fireAt, firedAt: at, order })
      return
    }
    if (recordJobAnswer(jobs, first, at, order)) return
    const command = inputOf(events)
    if (command !== undefined) inputs.push({ at, order, command })
  })
  return { inputs, timers, attemptCauses, jobs }
}

/** When a timer the candidate asks for fired in the live run: the same id and instant is the same timer. */
export const liveTimerSlot = (
  history: RecordedInputs,
  timerId: string,
  fireAt: string,
): { readonly at: number; readonly order: number } | undefined => {
  const fired = history.timers.get(timerId)
  return fired !== undefined && fired.fireAt === fireAt
    ? { at: fired.firedAt, order: fired.order }
    : undefined
}
