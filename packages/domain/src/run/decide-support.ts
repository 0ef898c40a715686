import type { AttemptId } from '../shared/attempt-id.ts'
import { attemptIdFor } from '../shared/attempt-id.ts'
import { epochMillisOf, type Instant, instantOf } from '../shared/instant.ts'
import type { RunContext } from './context.ts'
import type { AttemptCause } from './events/common.ts'
import { timerIdFor } from './events/intent-events.ts'
import type { RunEvent, RunEventOf } from './events.ts'
import { attemptTimingOf, LOCK_TTL_MS, type RunSchedule } from './policy.ts'
import { absoluteSlaOf, relativeSlaOf } from './rule-port.ts'
import { evolve, liveAttemptOf, type RunState, type SlaClock } from './state.ts'

/** What every decision function receives: the context plus the run's resolved schedule. */
export interface Decide extends RunContext {
  readonly schedule: RunSchedule
  /** `now` as an instant. */
  readonly at: Instant
}

/** The `at` and `configVersion` every decided event carries. */
export const stamp = (ctx: Decide) => ({ at: ctx.at, configVersion: ctx.configVersion })

/** Folds events onto a state, so a decision can continue from what it has already decided. */
export const applyAll = (state: RunState, events: ReadonlyArray<RunEvent>): RunState =>
  events.reduce(evolve, state)

/** Builds one event (a typed constructor: the tag picks the fields). */
export const event = <Tag extends RunEvent['_tag']>(
  tag: Tag,
  fields: Omit<RunEventOf<Tag>, '_tag'>,
): RunEventOf<Tag> => ({ _tag: tag, ...fields }) as RunEventOf<Tag>

/** A timer intent. */
export const timer = (
  ctx: Decide,
  timerId: string,
  fireAtMillis: number,
  command: RunEventOf<'TimerRequested'>['command'],
): RunEventOf<'TimerRequested'> =>
  event('TimerRequested', { ...stamp(ctx), timerId, fireAt: instantOf(fireAtMillis), command })

/** Does the run have an outcome that ends SLA alerting (lifecycle §0.9, §6.4)? */
export const hasOutcome = (state: RunState): boolean =>
  state.lifecycle.status === 'Completed' ||
  state.lifecycle.status === 'Failed' ||
  state.lifecycle.status === 'ValidationExhausted' ||
  (state.latestJobLog !== null &&
    [
      'success',
      'fail',
      'timeout',
      'infra-trigger-exhausted',
      'validation-exhausted',
      'job-poll-exhausted',
    ].includes(state.latestJobLog.entry))

/** SLA timers for a clock that was just scheduled. */
const slaTimers = (
  ctx: Decide,
  kind: 'absolute' | 'relative',
  warningAt: Instant | null,
  breachAt: Instant,
): ReadonlyArray<RunEvent> => [
  ...(warningAt !== null && epochMillisOf(warningAt) > ctx.now
    ? [
        timer(ctx, timerIdFor.sla(kind, 'warning'), epochMillisOf(warningAt), {
          _tag: 'FireSlaTimer',
          kind,
          alert: 'warning',
        }),
      ]
    : []),
  timer(ctx, timerIdFor.sla(kind, 'breach'), epochMillisOf(breachAt), {
    _tag: 'FireSlaTimer',
    kind,
    alert: 'breach',
  }),
]

/**
 * Schedules the period's absolute SLA once (L4: computed when the SLA starts, stored, never recomputed)
 * when the config has a deadline and its breach is still ahead.
 */
export const scheduleAbsoluteSla = (state: RunState, ctx: Decide): ReadonlyArray<RunEvent> => {
  const sla = ctx.schedule.sla
  if (state.sla.absolute !== null || sla?.deadline === undefined) return []
  const instants = absoluteSlaOf(ctx.config, ctx.schedule, ctx.run.period)
  if (instants === undefined || epochMillisOf(instants.breachAt) <= ctx.now) return []
  return [
    event('SlaScheduled', {
      ...stamp(ctx),
      kind: 'absolute',
      warningAt: instants.warningAt,
      breachAt: instants.breachAt,
      deadline: sla.deadline,
      ...(sla.expectedDuration !== undefined ? { expectedDuration: sla.expectedDuration.text } : {}),
      timezone: sla.timezone ?? ctx.schedule.timezone,
      critical: sla.critical,
    }),
    ...slaTimers(ctx, 'absolute', instants.warningAt, instants.breachAt),
  ]
}

/** Schedules the relative SLA from the first sensor arrival (L5, D8). */
export const scheduleRelativeSla = (
  state: RunState,
  ctx: Decide,
  arrivedAt: Instant,
): ReadonlyArray<RunEvent> => {
  const sla = ctx.schedule.sla
  if (state.sla.relative !== null || sla?.maxDuration === undefined) return []
  const instants = relativeSlaOf(sla, arrivedAt)
  return [
    event('SlaScheduled', {
      ...stamp(ctx),
      kind: 'relative',
      warningAt: instants.warningAt,
      breachAt: instants.breachAt,
      maxDuration: sla.maxDuration.text,
      ...(sla.expectedDuration !== undefined ? { expectedDuration: sla.expectedDuration.text } : {}),
      timezone: sla.timezone ?? ctx.schedule.timezone,
      critical: sla.critical,
      arrivedAt,
    }),
    ...slaTimers(ctx, 'relative', instants.warningAt, instants.breachAt),
  ]
}

/**
 * The SLA verdict once the run has an outcome (L4): after success, met when it finished before the
 * stored breach instant and breached otherwise; after a failure or giving up, breached only when the
 * breach instant has passed (and nothing otherwise). One verdict per clock and period; a breach already
 * raised by its alert is marked announced, so it is not published twice (L9).
 */
export const slaVerdicts = (state: RunState, ctx: Decide, succeeded: boolean): ReadonlyArray<RunEvent> =>
  (['absolute', 'relative'] as const).flatMap((kind) => {
    const clock: SlaClock | null = state.sla[kind]
    if (clock === null || clock.verdict !== null) return []
    const breached = ctx.now >= epochMillisOf(clock.breachAt)
    if (!succeeded && !breached) return []
    return [
      event('SlaVerdictReached', {
        ...stamp(ctx),
        kind,
        verdict: breached ? 'breached' : 'met',
        breachAt: clock.breachAt,
        critical: clock.critical,
        ...(breached && clock.breachRaised ? { breachAnnounced: true } : {}),
      }),
    ]
  })

/**
 * Starts a new attempt: supersedes a live one (L1: its job is cancelled where the type allows), takes
 * the lock, schedules the SLA if this is when it starts, and asks for the first evaluation at once (A1).
 */
export const startAttempt = (
  state: RunState,
  ctx: Decide,
  cause: AttemptCause,
  details: { readonly sensorKey?: string; readonly rerunReason?: string } = {},
): ReadonlyArray<RunEvent> => {
  const attemptNumber = state.attempts + 1
  const attemptId: AttemptId = attemptIdFor(ctx.run, attemptNumber)
  const live = liveAttemptOf(state)
  const lifecycle = state.lifecycle
  const supersession: ReadonlyArray<RunEvent> =
    live === null
      ? []
      : [
          event('AttemptSuperseded', { ...stamp(ctx), attemptId: live.attemptId, supersededBy: attemptId }),
          ...(lifecycle.status === 'Polling'
            ? [
                event('JobCancelRequested', {
                  ...stamp(ctx),
                  attemptId: live.attemptId,
                  jobType: lifecycle.job.jobType,
                  runId: lifecycle.job.runId,
                  metadata: lifecycle.job.metadata,
                  reason: 'superseded' as const,
                }),
              ]
            : []),
        ]
  const started = event('AttemptStarted', {
    ...stamp(ctx),
    attemptId,
    attemptNumber,
    cause,
    lockExpiresAt: instantOf(ctx.now + LOCK_TTL_MS),
    timing: attemptTimingOf(ctx.config, ctx.schedule),
    ...(details.sensorKey !== undefined ? { sensorKey: details.sensorKey } : {}),
    ...(details.rerunReason !== undefined ? { rerunReason: details.rerunReason } : {}),
  })
  return [
    ...supersession,
    started,
    ...scheduleAbsoluteSla(state, ctx),
    timer(ctx, timerIdFor.evaluation(attemptId, 1), ctx.now, {
      _tag: 'EvaluateRun',
      attemptId,
      evaluationNumber: 1,
    }),
  ]
}
