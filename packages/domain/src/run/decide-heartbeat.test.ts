import { describe, expect, it } from 'vitest'
import type { RunCommand } from './commands.ts'
import type { RunContext } from './context.ts'
import { publicEventOf } from './public-events.ts'
import {
  attempt,
  config,
  context,
  given,
  ofType,
  play,
  RUN,
  tags,
  triggeredRun,
} from './testing/run-builders.ts'

// Heartbeats of callback-style jobs (seed 004's Step Functions task tokens): `job.heartbeatTimeout` after
// the job's start, then after each heartbeat, a missing one fails the attempt as TIMEOUT.

const heartbeating = (job: Record<string, unknown> = {}): Partial<RunContext> => ({
  config: config({
    job: { type: 'command', config: { command: 'run-etl' }, heartbeatTimeout: '5m', ...job } as never,
  }),
})
const beat = (attemptNumber = 1): RunCommand => ({
  _tag: 'RecordHeartbeat',
  attemptId: attempt(attemptNumber),
})
const check = (sequence: number, attemptNumber = 1): RunCommand => ({
  _tag: 'CheckHeartbeat',
  attemptId: attempt(attemptNumber),
  sequence,
})
const publicTypes = (events: ReadonlyArray<Parameters<typeof publicEventOf>[0]>) =>
  events.map((event) => publicEventOf(event, RUN)?.type).filter((type) => type !== undefined)

describe('run, job started with a heartbeat timeout', () => {
  it('awaits the first heartbeat within the timeout of the start', () => {
    const timers = ofType(triggeredRun(heartbeating()), 'TimerRequested')
    expect(timers.map((timer) => [timer.timerId, timer.fireAt])).toContainEqual([
      `${attempt(1)}/heartbeat/0`,
      '2026-03-02T06:05:05.000Z',
    ])
  })

  it('awaits no heartbeat when the job has no heartbeat timeout', () => {
    const timers = ofType(triggeredRun(), 'TimerRequested')
    expect(timers.some((timer) => timer.command._tag === 'CheckHeartbeat')).toBe(false)
  })
})

describe('run, polling a heart-beating job', () => {
  it('records each heartbeat and moves the deadline to the timeout after it', () => {
    given(triggeredRun(heartbeating()))
      .when(beat(), context('2026-03-02T06:03:00Z', heartbeating()))
      .thenEvents((events) => {
        expect(ofType(events, 'JobHeartbeatRecorded')).toEqual([
          expect.objectContaining({ attemptId: attempt(1), sequence: 1 }),
        ])
        expect(ofType(events, 'TimerRequested')).toEqual([
          expect.objectContaining({
            timerId: `${attempt(1)}/heartbeat/1`,
            fireAt: '2026-03-02T06:08:00.000Z',
            command: { _tag: 'CheckHeartbeat', attemptId: attempt(1), sequence: 1 },
          }),
        ])
      })
  })

  it('changes nothing at a deadline a later heartbeat moved on', () => {
    const beaten = play(
      [['2026-03-02T06:03:00Z', beat(), heartbeating()]],
      triggeredRun(heartbeating()),
    ).events
    given(beaten).when(check(0), context('2026-03-02T06:05:05Z', heartbeating())).thenNothing()
  })

  it('fails the attempt as TIMEOUT when the heartbeat is missed, and retries it within the budget', () => {
    const beaten = play(
      [['2026-03-02T06:03:00Z', beat(), heartbeating()]],
      triggeredRun(heartbeating()),
    ).events
    given(beaten)
      .when(check(1), context('2026-03-02T06:08:00Z', heartbeating()))
      .thenEvents((events) => {
        expect(tags(events).slice(0, 3)).toEqual(['JobHeartbeatMissed', 'JobFailed', 'RetryGranted'])
        expect(ofType(events, 'JobHeartbeatMissed')).toEqual([
          expect.objectContaining({
            attemptId: attempt(1),
            runId: 'jr-12345',
            timeoutMs: 300_000,
            heartbeats: 1,
            lastSignAt: '2026-03-02T06:03:00.000Z',
          }),
        ])
        expect(ofType(events, 'JobFailed')).toEqual([
          expect.objectContaining({
            outcome: 'timeout',
            category: 'TIMEOUT',
            observedBy: 'heartbeat',
            error: 'no heartbeat within 5m of heartbeat 1',
          }),
        ])
        expect(ofType(events, 'AttemptStarted')).toEqual([
          expect.objectContaining({ attemptId: attempt(2), cause: 'job-retry' }),
        ])
        expect(publicTypes(events)).toEqual(['JOB_HEARTBEAT_MISSED'])
        const missed = ofType(events, 'JobHeartbeatMissed')[0]
        expect(missed && publicEventOf(missed, RUN)).toEqual({
          type: 'JOB_HEARTBEAT_MISSED',
          severity: 'critical',
          alert: true,
          message: 'job heartbeat missed for gold-revenue: none within 300s, attempt failed as TIMEOUT',
          detail: {
            runId: 'jr-12345',
            heartbeats: 1,
            lastSignAt: '2026-03-02T06:03:00.000Z',
            category: 'TIMEOUT',
          },
        })
      })
  })

  it('ends the run with RETRY_EXHAUSTED when no retry is left', () => {
    const noRetries = heartbeating({ maxRetries: 0 })
    given(triggeredRun(noRetries))
      .when(check(0), context('2026-03-02T06:05:05Z', noRetries))
      .thenEvents((events) => {
        expect(ofType(events, 'JobFailed')[0]?.error).toBe("no heartbeat within 5m of the job's start")
        expect(publicTypes(events)).toEqual(['JOB_HEARTBEAT_MISSED', 'RETRY_EXHAUSTED'])
      })
  })

  it('refuses a heartbeat before the job start is recorded, and ignores one of a superseded attempt', () => {
    const evaluating = play([
      [
        '2026-03-02T06:00:00Z',
        { _tag: 'RecordSensorReading', key: 'upstream-complete', data: { status: 'ready' } },
      ],
    ]).events
    given(evaluating)
      .when(beat(), context('2026-03-02T06:00:02Z', heartbeating()))
      .thenRejects('JobNotStartedYet')
    const retried = play(
      [['2026-03-02T06:05:05Z', check(0), heartbeating()]],
      triggeredRun(heartbeating()),
    ).events
    given(retried).when(beat(1), context('2026-03-02T06:06:00Z', heartbeating())).thenNothing()
    given(retried)
      .when(beat(7), context('2026-03-02T06:06:00Z', heartbeating()))
      .thenRejects('AttemptNotFound')
  })
})
