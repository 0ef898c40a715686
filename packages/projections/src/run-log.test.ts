import { attemptIdFor, RunEvent, type RunKey } from '@interlock/domain'
import { Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import { attemptIdOf, evolveAttemptView, evolveRunView, openRun, startAttempt } from './run-log.ts'
import type { AttemptView, RunView } from './sql/runs.ts'

// The run log's fold over events built with the domain's own Schema: each case is a sequence the run
// decider emits (or, for stale results, one it records), folded exactly as the projection folds a batch.

const RUN: RunKey = { pipelineId: 'gold-revenue', scheduleId: 'default', period: '2026-03-05' }
const attempt = (n: number) => attemptIdFor(RUN, n)
const decodeEvent = Schema.decodeUnknownSync(RunEvent)
const decided = (at: string) => ({ at, configVersion: 1 })

const attemptStarted = (n: number, at: string, cause = 'sensor') =>
  decodeEvent({
    _tag: 'AttemptStarted',
    ...decided(at),
    attemptId: attempt(n),
    attemptNumber: n,
    cause,
    lockExpiresAt: '2026-03-06T10:30:00.000Z',
    timing: {
      evaluationIntervalMs: 300_000,
      evaluationWindowMs: 3_600_000,
      jobPollIntervalMs: 60_000,
      jobPollWindowMs: 3_600_000,
      triggerMaxTries: 3,
      triggerBackoffMs: 30_000,
    },
    sensorKey: 'upstream-complete',
  })
const ofAttempt = (tag: string, n: number, at: string, fields: Record<string, unknown> = {}) =>
  decodeEvent({ _tag: tag, ...decided(at), attemptId: attempt(n), ...fields })
const jobStarted = (n: number, at: string) =>
  ofAttempt('JobStarted', n, at, {
    triggerTry: 1,
    jobType: 'glue',
    runId: `jr-${n}`,
    metadata: {},
    synchronous: false,
  })
const sla = (tag: string, at: string, fields: Record<string, unknown>) =>
  decodeEvent({ _tag: tag, ...decided(at), breachAt: '2026-03-06T09:00:00.000Z', critical: false, ...fields })

/** Folds events from an empty run, the way the runs projection does, and returns the rows. */
function fold(events: ReadonlyArray<RunEvent>): { run: RunView; attempts: Map<string, AttemptView> } {
  let run: RunView | undefined
  const attempts = new Map<string, AttemptView>()
  for (const event of events) {
    run = evolveRunView(run ?? openRun(RUN, event.at), event)
    if (event._tag === 'AttemptStarted') {
      attempts.set(event.attemptId, startAttempt(RUN, event))
      continue
    }
    const id = attemptIdOf(event)
    const row = id === null ? undefined : attempts.get(id)
    if (row !== undefined) attempts.set(row.attemptId, evolveAttemptView(row, event))
  }
  if (run === undefined) throw new Error('fold needs at least one event')
  return { run, attempts }
}

describe('run log, a run through its job', () => {
  it('moves from waiting through evaluating, triggering and running to succeeded, with the job run id', () => {
    const sensor = decodeEvent({
      _tag: 'SensorReadingRecorded',
      at: '2026-03-06T06:00:00.000Z',
      key: 'upstream-complete',
      data: { status: 'ready' },
    })
    const statuses = [
      sensor,
      attemptStarted(1, '2026-03-06T06:00:00.000Z'),
      ofAttempt('JobStartRequested', 1, '2026-03-06T06:00:01.000Z', { triggerTry: 1, jobType: 'glue' }),
      jobStarted(1, '2026-03-06T06:00:05.000Z'),
      ofAttempt('JobSucceeded', 1, '2026-03-06T07:00:00.000Z', { runId: 'jr-1', observedBy: 'poll' }),
    ].map((_, index, events) => fold(events.slice(0, index + 1)).run.status)
    expect(statuses).toEqual(['waiting', 'evaluating', 'triggering', 'running', 'succeeded'])

    const { run, attempts } = fold([
      attemptStarted(1, '2026-03-06T06:00:00.000Z'),
      jobStarted(1, '2026-03-06T06:00:05.000Z'),
      ofAttempt('JobSucceeded', 1, '2026-03-06T07:00:00.000Z', { runId: 'jr-1', observedBy: 'poll' }),
    ])
    expect(run).toMatchObject({
      jobRunId: 'jr-1',
      startedAt: '2026-03-06T06:00:00.000Z',
      finishedAt: '2026-03-06T07:00:00.000Z',
    })
    expect(attempts.get(attempt(1))).toMatchObject({
      status: 'succeeded',
      jobType: 'glue',
      jobStartedAt: '2026-03-06T06:00:05.000Z',
      finishedAt: '2026-03-06T07:00:00.000Z',
    })
  })

  it('moves a readiness-only run from evaluating to succeeded when it is ready, with no job on it', () => {
    const { run, attempts } = fold([
      attemptStarted(1, '2026-03-06T06:00:00.000Z'),
      ofAttempt('RunCompletedWithoutJob', 1, '2026-03-06T06:00:01.000Z', {
        reason: 'readiness-only pipeline: no job to start',
      }),
    ])
    expect(run).toMatchObject({ status: 'succeeded', jobRunId: null, finishedAt: '2026-03-06T06:00:01.000Z' })
    expect(attempts.get(attempt(1))).toMatchObject({
      status: 'succeeded',
      jobType: null,
      jobRunId: null,
      triggerTries: 0,
      finishedAt: '2026-03-06T06:00:01.000Z',
    })
  })

  it('ends in failed with the category and reason of a job failure, and the job timeout apart', () => {
    const failure = (outcome: 'fail' | 'timeout') =>
      fold([
        attemptStarted(1, '2026-03-06T06:00:00.000Z'),
        jobStarted(1, '2026-03-06T06:00:05.000Z'),
        ofAttempt('JobFailed', 1, '2026-03-06T06:30:00.000Z', {
          runId: 'jr-1',
          outcome,
          error: 'glue job FAILED',
          category: 'PERMANENT',
          observedBy: 'poll',
        }),
      ])
    expect(failure('fail').run).toMatchObject({
      status: 'failed',
      failureCategory: 'PERMANENT',
      failureReason: 'job-failed',
    })
    expect(failure('timeout').attempts.get(attempt(1))).toMatchObject({
      status: 'failed',
      failureReason: 'job-timeout',
      error: 'glue job FAILED',
    })
  })

  it('fails on poll exhaustion and on an expired lock', () => {
    const pollExhausted = fold([
      attemptStarted(1, '2026-03-06T06:00:00.000Z'),
      jobStarted(1, '2026-03-06T06:00:05.000Z'),
      ofAttempt('JobStatusCheckRequested', 1, '2026-03-06T06:01:05.000Z', {
        pollNumber: 1,
        jobType: 'glue',
        runId: 'jr-1',
        metadata: {},
      }),
      ofAttempt('JobPollExhausted', 1, '2026-03-06T07:00:05.000Z', {
        runId: 'jr-1',
        polls: 60,
        windowMs: 3_600_000,
      }),
    ])
    expect(pollExhausted.run).toMatchObject({ status: 'failed', failureReason: 'job-poll-exhausted' })
    expect(pollExhausted.attempts.get(attempt(1))).toMatchObject({ polls: 60, status: 'failed' })

    const timedOut = fold([
      attemptStarted(1, '2026-03-06T06:00:00.000Z'),
      jobStarted(1, '2026-03-06T06:00:05.000Z'),
      ofAttempt('RunTimedOut', 1, '2026-03-06T10:35:00.000Z', { lockExpiredAt: '2026-03-06T10:30:00.000Z' }),
    ])
    expect(timedOut.run).toMatchObject({ status: 'failed', failureReason: 'lock-expired' })
  })

  it('ends in validation_exhausted when the window closes without a passing evaluation', () => {
    const { run, attempts } = fold([
      attemptStarted(1, '2026-03-06T06:00:00.000Z'),
      ofAttempt('RunEvaluated', 1, '2026-03-06T06:05:00.000Z', {
        evaluationNumber: 1,
        mode: 'ALL',
        passed: false,
        ruleResults: [],
        sensorSnapshot: {},
      }),
      ofAttempt('ValidationExhausted', 1, '2026-03-06T07:00:00.000Z', {
        evaluations: 12,
        windowMs: 3_600_000,
      }),
    ])
    expect(run.status).toBe('validation_exhausted')
    expect(attempts.get(attempt(1))).toMatchObject({
      status: 'validation_exhausted',
      evaluations: 12,
      evaluationPassed: false,
    })
  })
})

describe('run log, when the trigger gives up', () => {
  const exhausted = [
    attemptStarted(1, '2026-03-06T06:00:00.000Z'),
    ofAttempt('JobStartRequested', 1, '2026-03-06T06:00:01.000Z', { triggerTry: 1, jobType: 'glue' }),
    ofAttempt('TriggerFailed', 1, '2026-03-06T06:00:02.000Z', {
      triggerTry: 1,
      error: 'ConcurrentRunsExceededException',
      category: 'TRANSIENT',
      retryAt: '2026-03-06T06:00:32.000Z',
    }),
    ofAttempt('JobStartRequested', 1, '2026-03-06T06:00:32.000Z', { triggerTry: 2, jobType: 'glue' }),
    ofAttempt('TriggerRetriesExhausted', 1, '2026-03-06T06:00:33.000Z', {
      tries: 2,
      lastError: 'ConcurrentRunsExceededException',
    }),
  ]

  it('fails the run and releases its lock, keeping the tries and the last error on the attempt', () => {
    const { run, attempts } = fold(exhausted)
    expect(run).toMatchObject({
      status: 'failed',
      failureReason: 'trigger-retries-exhausted',
      lockExpiresAt: null,
    })
    expect(attempts.get(attempt(1))).toMatchObject({
      status: 'failed',
      triggerTries: 2,
      error: 'ConcurrentRunsExceededException',
      failureCategory: 'TRANSIENT',
    })
  })

  it('lets the trigger window close on the released run, and a later attempt start afresh', () => {
    const closed = [
      ...exhausted,
      decodeEvent({
        _tag: 'TriggerWindowClosed',
        ...decided('2026-03-06T12:00:00.000Z'),
        deadline: '12:00',
        deadlineAt: '2026-03-06T12:00:00.000Z',
      }),
    ]
    expect(fold(closed).run).toMatchObject({ status: 'failed', failureReason: 'trigger-window-closed' })
    expect(fold([...closed, attemptStarted(2, '2026-03-06T13:00:00.000Z', 'rerun')]).run).toMatchObject({
      status: 'evaluating',
      currentAttemptId: attempt(2),
      attemptCount: 2,
      failureReason: null,
      finishedAt: null,
    })
  })
})

describe('run log, a superseded attempt', () => {
  it('changes its own row at most, never the run', () => {
    const { run, attempts } = fold([
      attemptStarted(1, '2026-03-06T06:00:00.000Z'),
      jobStarted(1, '2026-03-06T06:00:05.000Z'),
      ofAttempt('AttemptSuperseded', 1, '2026-03-06T06:10:00.000Z', { supersededBy: attempt(2) }),
      ofAttempt('JobCancelRequested', 1, '2026-03-06T06:10:00.000Z', {
        jobType: 'glue',
        runId: 'jr-1',
        metadata: {},
        reason: 'superseded',
      }),
      attemptStarted(2, '2026-03-06T06:10:00.000Z', 'rerun'),
      ofAttempt('JobFailed', 1, '2026-03-06T06:20:00.000Z', {
        runId: 'jr-1',
        outcome: 'fail',
        error: 'cancelled',
        observedBy: 'poll',
      }),
    ])
    expect(run).toMatchObject({ status: 'evaluating', currentAttemptId: attempt(2), jobRunId: null })
    expect(attempts.get(attempt(1))).toMatchObject({
      status: 'superseded',
      supersededBy: attempt(2),
      cancelRequestedAt: '2026-03-06T06:10:00.000Z',
      finishedAt: '2026-03-06T06:10:00.000Z',
      error: null,
    })
  })
})

describe('run log, SLA clocks', () => {
  const scheduled = (kind: 'absolute' | 'relative', warningAt: string | null) =>
    sla('SlaScheduled', '2026-03-06T06:00:00.000Z', { kind, warningAt, timezone: 'UTC' })

  it('goes pending, warning, breached, and keeps the verdict', () => {
    const events = [
      scheduled('absolute', '2026-03-06T08:30:00.000Z'),
      sla('SlaWarningRaised', '2026-03-06T08:30:00.000Z', { kind: 'absolute', status: 'RUNNING' }),
      sla('SlaBreachRaised', '2026-03-06T09:00:00.000Z', {
        kind: 'absolute',
        status: 'RUNNING',
        source: 'schedule',
      }),
      sla('SlaVerdictReached', '2026-03-06T09:30:00.000Z', { kind: 'absolute', verdict: 'breached' }),
    ]
    const statuses = events.map((_, index) => fold(events.slice(0, index + 1)).run.sla?.status)
    expect(statuses).toEqual(['pending', 'warning', 'breached', 'breached'])
    expect(fold(events).run.sla).toEqual({
      warningAt: '2026-03-06T08:30:00.000Z',
      breachAt: '2026-03-06T09:00:00.000Z',
      status: 'breached',
    })
  })

  it('never moves a breached clock back to warning, and keeps the two clocks apart', () => {
    const { run } = fold([
      scheduled('absolute', null),
      scheduled('relative', '2026-03-06T08:00:00.000Z'),
      sla('SlaBreachRaised', '2026-03-06T09:00:00.000Z', {
        kind: 'absolute',
        status: 'RUNNING',
        source: 'schedule',
      }),
      sla('SlaWarningRaised', '2026-03-06T09:00:01.000Z', { kind: 'absolute', status: 'RUNNING' }),
      sla('SlaVerdictReached', '2026-03-06T07:00:00.000Z', { kind: 'relative', verdict: 'met' }),
    ])
    expect(run.sla).toEqual({ warningAt: null, breachAt: '2026-03-06T09:00:00.000Z', status: 'breached' })
    expect(run.relativeSla?.status).toBe('met')
  })

  it('ignores an alert of a clock that was never scheduled', () => {
    const { run } = fold([
      sla('SlaWarningRaised', '2026-03-06T08:30:00.000Z', { kind: 'relative', status: 'RUNNING' }),
    ])
    expect(run.relativeSla).toBeNull()
  })
})

describe('run log, runs that never start', () => {
  it('marks a waiting run excluded by the calendar, but not one that already ran', () => {
    const excluded = decodeEvent({
      _tag: 'TriggerExcluded',
      ...decided('2026-03-06T06:00:00.000Z'),
      source: 'cron',
    })
    expect(fold([excluded]).run.status).toBe('excluded')
    expect(fold([attemptStarted(1, '2026-03-06T05:00:00.000Z'), excluded]).run.status).toBe('evaluating')
  })

  it('records when a deferred period may start, and clears it when its attempt starts', () => {
    const deferred = decodeEvent({
      _tag: 'AttemptDeferred',
      ...decided('2026-03-06T03:00:00.000Z'),
      cause: 'sensor',
      after: '05:00',
      timezone: 'UTC',
      notBefore: '2026-03-06T05:00:00.000Z',
    })
    expect(fold([deferred]).run).toMatchObject({
      status: 'waiting',
      deferredUntil: '2026-03-06T05:00:00.000Z',
    })
    expect(fold([deferred, attemptStarted(1, '2026-03-06T05:00:00.000Z')]).run.deferredUntil).toBeNull()
  })

  it('flags a dry run with the instant it would have triggered (first one wins)', () => {
    const wouldTrigger = (at: string) =>
      decodeEvent({
        _tag: 'DryRunWouldTrigger',
        ...decided(at),
        sensorKey: 'upstream-complete',
        rulesEvaluated: 1,
        ruleResults: [],
        sensorSnapshot: {},
      })
    const { run } = fold([wouldTrigger('2026-03-06T06:00:00.000Z'), wouldTrigger('2026-03-06T07:00:00.000Z')])
    expect(run).toMatchObject({
      status: 'waiting',
      dryRun: true,
      dryRunTriggeredAt: '2026-03-06T06:00:00.000Z',
    })
  })
})

describe('run log, events that change nothing', () => {
  it('returns the very same rows, so the projection writes nothing for them', () => {
    const { run, attempts } = fold([attemptStarted(1, '2026-03-06T06:00:00.000Z')])
    const timer = decodeEvent({
      _tag: 'TimerRequested',
      ...decided('2026-03-06T06:00:00.000Z'),
      timerId: `${attempt(1)}/evaluate/1`,
      fireAt: '2026-03-06T06:05:00.000Z',
      command: { _tag: 'EvaluateRun', attemptId: attempt(1), evaluationNumber: 1 },
    })
    const row = attempts.get(attempt(1))!
    expect(evolveRunView(run, timer)).toBe(run)
    expect(evolveAttemptView(row, timer)).toBe(row)
  })
})
