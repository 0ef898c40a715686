import { describe, expect, it } from 'vitest'
import type { RunContext } from './context.ts'
import type { RunEvent } from './events.ts'
import { publicEventOf } from './public-events.ts'
import {
  completion,
  config,
  context,
  given,
  ofType,
  play,
  RUN,
  ready,
  rerun,
  sensor,
  succeededRun,
  tags,
} from './testing/run-builders.ts'

// Lifecycle spec §11.12 (dry-run, §7) under ruling L10: observe and record DRY_RUN_* events, never start,
// lock, retry or rerun anything.

const TRIGGER = { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' } as const
const dry = (extra: Record<string, unknown> = {}): Partial<RunContext> => ({
  config: config({ dryRun: true, ...extra }),
})
const published = (events: ReadonlyArray<RunEvent>) =>
  events.map((event) => publicEventOf(event, RUN)).filter((event) => event !== null)
const NEVER = ['AttemptStarted', 'JobStartRequested', 'RetryGranted', 'RerunAccepted', 'TimerRequested']
const postRun = (extra: Record<string, unknown> = {}) =>
  dry({
    postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
    ...extra,
  })

describe('dry-run, a passing trigger (§7.1–7.2)', () => {
  it('TestHandleSensorEvent_DryRun_SLAProjection_Met / _Completed_WithSLA: 01:15 + 30m against 08:00 is met; DRY_RUN_COMPLETED carries the estimate and the deadline', () => {
    const sla = dry({ sla: { deadline: '08:00', expectedDuration: '30m' } })
    given([])
      .when(ready(), context('2026-03-02T01:15:00Z', sla))
      .thenEvents((events) => {
        expect(tags(events)).toEqual([
          'SensorReadingRecorded',
          'DryRunWouldTrigger',
          'DryRunSlaProjected',
          'DryRunCompleted',
        ])
        expect(ofType(events, 'DryRunSlaProjected')[0]).toMatchObject({
          status: 'met',
          estimatedCompletion: '2026-03-02T01:45:00.000Z',
          deadlineAt: '2026-03-02T08:00:00.000Z',
          marginSeconds: 22_500,
        })
        expect(published(events).map((event) => event.message)).toEqual([
          'dry-run: would trigger gold-revenue at 2026-03-02T01:15:00.000Z',
          'dry-run: SLA projection for gold-revenue — SLA met with 375m margin',
          'dry-run: observation complete for gold-revenue/2026-03-01',
        ])
        expect(published(events)[2]?.detail).toEqual({
          triggeredAt: '2026-03-02T01:15:00.000Z',
          slaStatus: 'met',
          estimatedCompletion: '2026-03-02T01:45:00.000Z',
          deadline: '2026-03-02T08:00:00.000Z',
        })
      })
  })

  it('TestHandleSensorEvent_DryRun_ValidationNotReady: failing validation leaves no marker and no public event', () => {
    const strict = dry({ validation: { trigger: 'ALL', rules: [{ key: 'row-count', check: 'exists' }] } })
    given([])
      .when(ready(), context('2026-03-02T06:00:00Z', strict))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
    given([])
      .when(ready(), context('2026-03-02T06:00:00Z', strict))
      .thenState((state) => expect(state.dryRunTriggeredAt).toBeNull())
  })

  it('TestHandleSensorEvent_DryRun_CapturesBaseline: post-run rules capture a baseline with the would-trigger', () => {
    given(play([['2026-03-02T05:00:00Z', sensor('output-rows', { sensor_count: 500 }), postRun()]]).events)
      .when(ready(), context('2026-03-02T06:00:00Z', postRun()))
      .thenEvents((events) => {
        expect(published(events).map((event) => event.type)).toEqual([
          'DRY_RUN_WOULD_TRIGGER',
          'POST_RUN_BASELINE_CAPTURED',
          'DRY_RUN_COMPLETED',
        ])
        expect(ofType(events, 'PostRunBaselineCaptured')[0]).toMatchObject({
          attemptId: null,
          baseline: { 'output-rows': { sensor_count: 500 } },
        })
      })
  })

  it('§11.21 dry-run marker is write-once: later passing sensors are late data and keep the first triggeredAt', () => {
    const marked = play([['2026-03-02T06:00:00Z', ready(), dry()]]).events
    given(marked)
      .when(ready(), context('2026-03-02T07:30:00Z', dry()))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'DRY_RUN_LATE_DATA',
            message: 'dry-run: late data arrived 90m after trigger point for gold-revenue',
          }),
        ]),
      )
    given(marked)
      .when(ready(), context('2026-03-02T07:30:00Z', dry()))
      .thenState((state) => expect(state.dryRunTriggeredAt).toBe('2026-03-02T06:00:00.000Z'))
  })

  it('§7.6: calendar exclusion still applies to dry-run (PIPELINE_EXCLUDED, no observation)', () => {
    const weekends = dry({ schedule: { trigger: TRIGGER, exclude: { weekends: true } } })
    given([])
      .when(ready(), context('2026-03-02T06:00:00Z', weekends))
      .thenEvents((events) =>
        expect(published(events).map((event) => event.type)).toEqual(['PIPELINE_EXCLUDED']),
      )
  })
})

describe('dry-run, post-run sensors (§7.3)', () => {
  const observed = play([
    ['2026-03-02T05:00:00Z', sensor('output-rows', { sensor_count: 500 }), postRun()],
    ['2026-03-02T06:00:00Z', ready(), postRun()],
  ]).events

  it('TestDryRunPostRunSensor_DriftDetected: 500 → 520 is DRY_RUN_DRIFT, never a rerun', () => {
    given(observed)
      .when(sensor('output-rows', { sensor_count: 520 }), context('2026-03-02T08:00:00Z', postRun()))
      .thenEvents((events) => {
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'DRY_RUN_DRIFT',
            message: 'dry-run: drift detected for gold-revenue: 500 → 520 — would re-run',
            detail: {
              previousCount: 500,
              currentCount: 520,
              delta: 20,
              driftThreshold: 0,
              driftField: 'sensor_count',
              sensorKey: 'output-rows',
            },
          }),
        ])
        expect(tags(events).filter((tag) => NEVER.includes(tag))).toEqual([])
      })
  })

  it('TestDryRunPostRunSensor_NoDrift: the same value publishes nothing', () => {
    given(observed)
      .when(sensor('output-rows', { sensor_count: 500 }), context('2026-03-02T08:00:00Z', postRun()))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestDryRunPostRunSensor_NoMarker: without a would-trigger marker nothing is observed', () => {
    given(play([['2026-03-02T05:00:00Z', sensor('output-rows', { sensor_count: 500 }), postRun()]]).events)
      .when(sensor('output-rows', { sensor_count: 520 }), context('2026-03-02T08:00:00Z', postRun()))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })
})

describe('dry-run, rerun requests (§7.4)', () => {
  it('TestRerun_DryRun_CalendarExcluded: DRY_RUN_RERUN_REJECTED, excluded by calendar', () => {
    const weekends = dry({ schedule: { trigger: TRIGGER, exclude: { weekends: true } } })
    given([])
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z', weekends))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'DRY_RUN_RERUN_REJECTED',
            message:
              'dry-run: rerun rejected for gold-revenue: execution date 2026-03-01 excluded by calendar',
            detail: { reason: 'excluded by calendar' },
          }),
        ]),
      )
  })

  it('TestRerun_DryRun_LimitExceeded: a spent budget is DRY_RUN_RERUN_REJECTED, limit exceeded (c/b)', () => {
    const none = dry({ job: { type: 'command', config: { command: 'x' }, maxManualReruns: 0 } })
    given([])
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z', none))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            message: 'dry-run: rerun rejected for gold-revenue: limit exceeded (0/0)',
            detail: { reason: 'limit exceeded', rerunCount: 0, budget: 0 },
          }),
        ]),
      )
  })

  it('TestRerun_DryRun_CircuitBreakerReject: after a (live) success with unchanged data the breaker would reject', () => {
    const stale = play(
      [['2026-03-02T08:00:00Z', sensor('row-count', { n: 1, updatedAt: 1_772_400_000_000 })]],
      succeededRun(),
    ).events
    given(stale)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z', dry()))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'DRY_RUN_RERUN_REJECTED',
            detail: { reason: 'circuit breaker', circuitBreaker: 'rejected' },
          }),
        ]),
      )
  })

  it('TestRerun_DryRun_SkipsExecution: a would-rerun records no ledger entry and changes no lock', () => {
    given([])
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z', dry()))
      .thenState((state) => {
        expect(state.reruns).toEqual([])
        expect(state.lifecycle.status).toBe('Idle')
      })
  })
})

describe('dry-run, job failures (§7.5)', () => {
  it('TestJobFailure_DryRun_SkipsRerun: DRY_RUN_WOULD_RETRY with retries and maxRetries', () => {
    given([])
      .when(completion('fail'), context('2026-03-02T08:00:00Z', dry()))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'DRY_RUN_WOULD_RETRY',
            message: 'dry-run: would retry gold-revenue (0/2)',
            detail: { retries: 0, maxRetries: 2 },
          }),
        ]),
      )
  })

  it('TestJobFailure_DryRun_RetryExhausted: with no retries DRY_RUN_RETRY_EXHAUSTED; a PERMANENT failure spends maxCodeRetries (F3)', () => {
    const none = dry({ job: { type: 'command', config: { command: 'x' }, maxRetries: 0, maxCodeRetries: 1 } })
    given([])
      .when(completion('fail'), context('2026-03-02T08:00:00Z', none))
      .thenEvents((events) =>
        expect(published(events)[0]?.message).toBe('dry-run: retry limit reached (0/0) for gold-revenue'),
      )
    given([])
      .when(completion('fail', 1, 'PERMANENT'), context('2026-03-02T08:00:00Z', none))
      .thenEvents((events) =>
        expect(published(events)[0]?.message).toBe('dry-run: would retry gold-revenue (0/1)'),
      )
  })

  it('TestJobFailure_DryRun_CalendarExcluded: DRY_RUN_RETRY_EXHAUSTED, excluded by calendar', () => {
    const weekends = dry({ schedule: { trigger: TRIGGER, exclude: { weekends: true } } })
    given([])
      .when(completion('timeout'), context('2026-03-02T08:00:00Z', weekends))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'DRY_RUN_RETRY_EXHAUSTED',
            message:
              'dry-run: retry skipped for gold-revenue: execution date 2026-03-01 excluded by calendar',
            detail: { retries: 0, maxRetries: 2, reason: 'excluded by calendar' },
          }),
        ]),
      )
  })
})
