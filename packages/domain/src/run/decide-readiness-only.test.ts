import { describe, expect, it } from 'vitest'
import type { RunCommand } from './commands.ts'
import type { RunContext } from './context.ts'
import { READINESS_ONLY_REASON } from './events/attempt-events.ts'
import { publicEventOf } from './public-events.ts'
import {
  attempt,
  config,
  context,
  evaluate,
  given,
  ofType,
  play,
  RUN,
  ready,
  rerun,
  sensor,
  tags,
  triggerFailure,
} from './testing/run-builders.ts'

// A readiness-only pipeline (`job: {type: none}`, seed 001's pipeline without `trigger:`): the period is
// evaluated as any other, and a passing evaluation ends the run as succeeded without starting a job.
// Period 2026-03-01, sensor-triggered daily: the `09:00` deadline breaches on 2026-03-02 at 09:00 (L4).

const readinessOnly = (extra: Record<string, unknown> = {}): Partial<RunContext> => ({
  config: config({ job: { type: 'none' }, sla: { deadline: '09:00', expectedDuration: '30m' }, ...extra }),
})
const gate = readinessOnly()
/** A rule on a sensor the trigger does not bring: the run stays unready until `row-count` arrives. */
const ROW_COUNT_RULE = {
  validation: { trigger: 'ALL', rules: [{ key: 'row-count', check: 'gte', field: 'rows', value: 1 }] },
}
const blocked = readinessOnly(ROW_COUNT_RULE)
const fire = (alert: 'warning' | 'breach'): RunCommand => ({ _tag: 'FireSlaTimer', kind: 'absolute', alert })
/** The trigger sensor, stamped: the rerun circuit breaker compares `updatedAt` with the success. */
const readyAt = (updatedAt: string) => sensor('upstream-complete', { status: 'ready', updatedAt })
/** The trigger sensor arrived at 06:00: attempt 1 is evaluating. */
const opened = play([['2026-03-02T06:00:00Z', readyAt('2026-03-02T06:00:00Z'), gate]]).events
/** Evaluated and found ready at 06:00:01: the run is complete. */
const completed = play([['2026-03-02T06:00:01Z', evaluate(1), gate]], opened).events

describe('readiness-only run, when the gate opens', () => {
  it('records the passing evaluation, then ends the run as succeeded with no job started, and meets its SLA', () => {
    given(opened)
      .when(evaluate(1), context('2026-03-02T06:00:01Z', gate))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RunEvaluated', 'RunCompletedWithoutJob', 'SlaVerdictReached'])
        expect(ofType(events, 'RunEvaluated')[0]?.passed).toBe(true)
        expect(ofType(events, 'RunCompletedWithoutJob')[0]).toMatchObject({
          attemptId: attempt(1),
          reason: 'readiness-only pipeline: no job to start',
        })
        expect(ofType(events, 'SlaVerdictReached')[0]).toMatchObject({ kind: 'absolute', verdict: 'met' })
      })
    given(opened)
      .when(evaluate(1), context('2026-03-02T06:00:01Z', gate))
      .thenState((state) => {
        expect(state.lifecycle).toEqual({
          status: 'Completed',
          attemptId: attempt(1),
          completedAt: '2026-03-02T06:00:01.000Z',
        })
        expect(state.jobsStarted).toEqual([])
      })
  })

  it('publishes PIPELINE_READY with its reason (an alert, like JOB_COMPLETED), and SLA_MET', () => {
    const published = completed
      .slice(opened.length)
      .map((event) => publicEventOf(event, RUN))
      .filter((event) => event !== null)
    expect(published.map((event) => [event.type, event.message])).toEqual([
      ['VALIDATION_PASSED', 'all validation rules passed'],
      ['PIPELINE_READY', `gold-revenue is ready (${READINESS_ONLY_REASON})`],
      ['SLA_MET', 'pipeline gold-revenue: SLA_MET'],
    ])
    expect(publicEventOf(ofType(completed, 'RunCompletedWithoutJob')[0] as never, RUN)).toMatchObject({
      alert: true,
      detail: { reason: READINESS_ONLY_REASON },
    })
  })

  it('starts nothing more: a late evaluation tick and an SLA timer find the run complete', () => {
    given(completed).when(evaluate(2), context('2026-03-02T06:05:01Z', gate)).thenNothing()
    given(completed).when(fire('breach'), context('2026-03-02T09:00:00Z', gate)).thenNothing()
  })
})

describe('readiness-only run, before it is ready', () => {
  it('keeps evaluating at its interval while a rule blocks, as a run with a job does', () => {
    given(play([['2026-03-02T06:00:00Z', ready(), blocked]]).events)
      .when(evaluate(1), context('2026-03-02T06:00:01Z', blocked))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RunEvaluated', 'TimerRequested'])
        expect(ofType(events, 'TimerRequested')[0]?.command).toEqual({
          _tag: 'EvaluateRun',
          attemptId: attempt(1),
          evaluationNumber: 2,
        })
      })
  })

  it('warns and breaches as today; readiness after the breach gets the breached verdict, already announced', () => {
    const longWindow = readinessOnly({
      ...ROW_COUNT_RULE,
      schedule: {
        trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
        evaluation: { window: '6h', interval: '5m' },
      },
    })
    const late = play([
      ['2026-03-02T06:00:00Z', ready(), longWindow],
      ['2026-03-02T06:00:01Z', evaluate(1), longWindow],
      ['2026-03-02T08:30:00Z', fire('warning'), longWindow],
      ['2026-03-02T09:00:00Z', fire('breach'), longWindow],
      ['2026-03-02T09:10:00Z', sensor('row-count', { rows: 5 }), longWindow],
    ]).events
    expect(tags(late).filter((tag) => tag.startsWith('Sla'))).toEqual([
      'SlaScheduled',
      'SlaWarningRaised',
      'SlaBreachRaised',
    ])
    given(late)
      .when(evaluate(2), context('2026-03-02T09:10:01Z', longWindow))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RunEvaluated', 'RunCompletedWithoutJob', 'SlaVerdictReached'])
        expect(ofType(events, 'SlaVerdictReached')[0]).toMatchObject({
          verdict: 'breached',
          breachAnnounced: true,
        })
      })
  })

  it('ends as VALIDATION_EXHAUSTED when the window closes unready, like any run', () => {
    const { state } = play([
      ['2026-03-02T06:00:00Z', ready(), blocked],
      ...Array.from(
        { length: 13 },
        (_, index) =>
          [
            new Date(Date.parse('2026-03-02T06:00:01Z') + index * 300_000).toISOString(),
            evaluate(index + 1),
            blocked,
          ] as const,
      ),
    ])
    expect(state.lifecycle.status).toBe('ValidationExhausted')
    expect(state.jobsStarted).toEqual([])
  })
})

describe('readiness-only run, after it was ready', () => {
  it('late data on the trigger sensor re-evaluates readiness: a late-data rerun, completed again without a job', () => {
    const late = play(
      [
        ['2026-03-02T07:00:00Z', readyAt('2026-03-02T07:00:00Z'), gate],
        ['2026-03-02T07:00:01Z', evaluate(1, 2), gate],
      ],
      completed,
    )
    const added = late.events.slice(completed.length)
    expect(tags(added)).toEqual([
      'SensorReadingRecorded',
      'LateDataArrived',
      'RerunAccepted',
      'AttemptStarted',
      'TimerRequested',
      'RunEvaluated',
      'RunCompletedWithoutJob',
    ])
    expect(ofType(added, 'RerunAccepted')[0]?.reason).toBe('late-data')
    expect(late.state.lifecycle).toMatchObject({ status: 'Completed', attemptId: attempt(2) })
    expect(late.state.jobsStarted).toEqual([])
  })

  it('a manual rerun re-evaluates readiness once a sensor changed (new attempt, cause rerun)', () => {
    const rerunOnce = play(
      [
        ['2026-03-02T07:00:00Z', sensor('row-count', { rows: 9, updatedAt: '2026-03-02T07:00:00Z' }), gate],
        ['2026-03-02T07:30:00Z', rerun('r-1', 'fixed upstream'), gate],
        ['2026-03-02T07:30:01Z', evaluate(1, 2), gate],
      ],
      completed,
    )
    const added = rerunOnce.events.slice(completed.length)
    expect(tags(added)).toEqual([
      'SensorReadingRecorded',
      'RerunAccepted',
      'AttemptStarted',
      'TimerRequested',
      'RunEvaluated',
      'RunCompletedWithoutJob',
    ])
    expect(ofType(added, 'AttemptStarted')[0]).toMatchObject({ attemptId: attempt(2), cause: 'rerun' })
    expect(rerunOnce.state.lifecycle).toMatchObject({ status: 'Completed', attemptId: attempt(2) })
  })

  it('a rerun with no sensor changed since readiness is refused by the circuit breaker, as after a job', () => {
    given(completed)
      .when(rerun('r-1'), context('2026-03-02T07:30:00Z', gate))
      .thenEvents((events) =>
        expect(ofType(events, 'RerunRejected')[0]).toMatchObject({ rule: 'circuit breaker' }),
      )
  })

  it('post-run drift after readiness asks for a drift rerun, which re-evaluates readiness', () => {
    const watched = readinessOnly({
      postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
    })
    const ready100 = play([
      ['2026-03-02T05:00:00Z', sensor('output-rows', { sensor_count: 100 }), watched],
      ['2026-03-02T06:00:00Z', ready(), watched],
      ['2026-03-02T06:00:01Z', evaluate(1), watched],
    ]).events
    expect(ofType(ready100, 'PostRunBaselineCaptured')[0]?.baseline).toEqual({
      'output-rows': { sensor_count: 100 },
    })
    const drifted = play(
      [
        [
          '2026-03-02T08:00:00Z',
          sensor('output-rows', { sensor_count: 120, updatedAt: '2026-03-02T07:30:00Z' }),
          watched,
        ],
        ['2026-03-02T08:00:01Z', evaluate(1, 2), watched],
      ],
      ready100,
    )
    expect(tags(drifted.events.slice(ready100.length))).toEqual([
      'SensorReadingRecorded',
      'PostRunDriftDetected',
      'DriftRerunRequested',
      'PostRunBaselineCleared',
      'RerunAccepted',
      'AttemptStarted',
      'TimerRequested',
      'RunEvaluated',
      'RunCompletedWithoutJob',
      'PostRunBaselineCaptured',
    ])
    expect(drifted.state.jobsStarted).toEqual([])
  })

  it('a trigger backing off when the config becomes readiness-only completes without starting the job', () => {
    const withJob: Partial<RunContext> = { config: config() }
    const backingOff = play([
      ['2026-03-02T06:00:00Z', ready(), withJob],
      ['2026-03-02T06:00:01Z', evaluate(1), withJob],
      ['2026-03-02T06:00:02Z', triggerFailure(1, 1, 'TRANSIENT'), withJob],
    ]).events
    given(backingOff)
      .when(
        { _tag: 'RetryTrigger', attemptId: attempt(1), triggerTry: 2 },
        context('2026-03-02T06:00:32Z', { config: config({ job: { type: 'none' } }), configVersion: 2 }),
      )
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RunCompletedWithoutJob'])
        expect(events[0]).toMatchObject({ configVersion: 2, reason: READINESS_ONLY_REASON })
      })
  })
})
