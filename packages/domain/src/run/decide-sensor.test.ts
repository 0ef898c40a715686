import { describe, expect, it } from 'vitest'
import type { RunContext } from './context.ts'
import type { RunEvent } from './events.ts'
import { publicEventOf } from './public-events.ts'
import {
  completion,
  config,
  context,
  evaluate,
  given,
  jobStarted,
  ofType,
  play,
  RUN,
  ready,
  rerun,
  sensor,
  succeededRun,
  tags,
  triggeredRun,
} from './testing/run-builders.ts'

// Lifecycle spec §11.6, §11.7, §11.10, §11.11 and the sensor and post-run scenarios of §11.18.

const T0 = '2026-03-02T06:00:00Z'
const TRIGGER = { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' } as const
const published = (events: ReadonlyArray<RunEvent>) =>
  events.map((event) => publicEventOf(event, RUN)).filter((event) => event !== null)

describe('sensor trigger path (§1.4, §11.6)', () => {
  it('TestStreamRouter_SensorMatch_RecordsFirstSensorArrival: the first arrival is recorded at now with its key', () => {
    given([])
      .when(ready(), context(T0))
      .thenEvents((events) =>
        expect(ofType(events, 'FirstSensorArrivalRecorded')).toEqual([
          {
            _tag: 'FirstSensorArrivalRecorded',
            at: '2026-03-02T06:00:00.000Z',
            configVersion: 1,
            sensorKey: 'upstream-complete',
          },
        ]),
      )
  })

  it('TestStreamRouter_MultipleRecords: two passing readings of one period give exactly one attempt', () => {
    const { events } = play([
      [T0, ready()],
      ['2026-03-02T06:00:00.001Z', ready()],
    ])
    expect(ofType(events, 'AttemptStarted')).toHaveLength(1)
  })

  it('TestBuildSFNConfig_CustomTimings / _JobPollWindowOverride: 2m / 30m and a 7200 s poll window travel with the attempt', () => {
    const custom = {
      config: config({
        schedule: { trigger: TRIGGER, evaluation: { window: '30m', interval: '2m' } },
        job: { type: 'command', config: { command: 'x' }, jobPollWindowSeconds: 7200 } as never,
      }),
    }
    given([])
      .when(ready(), context(T0, custom))
      .thenEvents((events) =>
        expect(ofType(events, 'AttemptStarted')[0]?.timing).toEqual({
          evaluationIntervalMs: 120_000,
          evaluationWindowMs: 1_800_000,
          jobPollIntervalMs: 60_000,
          jobPollWindowMs: 7_200_000,
          triggerMaxTries: 4,
          triggerBackoffMs: 30_000,
        }),
      )
  })

  it('TestBuildSFNConfig_JobPollWindowDefault / _JobPollWindowZeroUsesDefault: absent or 0 is 3600 s', () => {
    for (const job of [{}, { jobPollWindowSeconds: 0 }]) {
      const ctx = { config: config({ job: { type: 'command', config: { command: 'x' }, ...job } as never }) }
      given([])
        .when(ready(), context(T0, ctx))
        .thenEvents((events) =>
          expect(ofType(events, 'AttemptStarted')[0]?.timing.jobPollWindowMs).toBe(3_600_000),
        )
    }
  })

  it('TestBuildSFNConfig_WithSLA: the SLA the run starts with keeps deadline, expectedDuration, critical, and its zone defaults to the schedule’s (UTC, C8)', () => {
    const sla = {
      config: config({ sla: { deadline: '08:00', expectedDuration: '30m', critical: true } as never }),
    }
    given([])
      .when(ready(), context(T0, sla))
      .thenEvents((events) =>
        expect(ofType(events, 'SlaScheduled')[0]).toMatchObject({
          deadline: '08:00',
          expectedDuration: '30m',
          critical: true,
          timezone: 'UTC',
        }),
      )
  })

  it('TestSensorEvent_CalendarExclusion_PublishesEvent / TestE2E_CalendarExclusionFullSkip (C7; D17 ruled: the period’s date): PIPELINE_EXCLUDED is the only public event; no lock', () => {
    const weekends = { config: config({ schedule: { trigger: TRIGGER, exclude: { weekends: true } } }) }
    given([])
      .when(ready(), context(T0, weekends))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'PIPELINE_EXCLUDED',
            message:
              'sensor trigger suppressed for gold-revenue: execution date 2026-03-01 excluded by calendar',
          }),
        ]),
      )
    given([])
      .when(ready(), context(T0, weekends))
      .thenState((state) => expect(state.lifecycle.status).toBe('Idle'))
  })

  it('L7 / C6: a named calendar’s dates exclude the period', () => {
    const named = { config: config({ schedule: { trigger: TRIGGER, calendar: 'us-holidays' } }) }
    const calendars = [{ name: 'us-holidays', days: [], dates: ['2026-03-01'] }] as never
    given([])
      .when(ready(), { ...context(T0, named), calendars })
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded', 'TriggerExcluded']))
  })
})

describe('late data (§3.4, §11.7)', () => {
  it('TestE2E_RerunReplay/LateDataArrival: LATE_DATA_ARRIVAL then a late-data rerun; further late writes are silent while it runs', () => {
    const late = play([['2026-03-02T09:00:00Z', ready()]], succeededRun()).events
    expect(published(late.slice(succeededRun().length)).map((event) => event.type)).toEqual([
      'LATE_DATA_ARRIVAL',
      'RERUN_ACCEPTED',
    ])
    given(late)
      .when(ready(), context('2026-03-02T09:05:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('§3.4 step 3: a trigger sensor that fails the condition after success is not late data', () => {
    given(succeededRun())
      .when(sensor('upstream-complete', { status: 'pending' }), context('2026-03-02T09:00:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })
})

describe('post-run sensors (§4.2, §11.10)', () => {
  const postRun = (
    extra: Record<string, unknown> = {},
    job: Record<string, unknown> = {},
  ): Partial<RunContext> => ({
    config: config({
      postRun: {
        rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }],
        ...extra,
      } as never,
      job: { type: 'command', config: { command: 'x' }, ...job } as never,
      schedule: { trigger: TRIGGER, exclude: { dates: [] } },
    }),
  })
  const completedWith = (ctx: Partial<RunContext>, data: Record<string, unknown> = { sensor_count: 100 }) =>
    play([
      ['2026-03-02T05:00:00Z', sensor('output-rows', data), ctx],
      [T0, ready(), ctx],
      ['2026-03-02T06:00:01Z', evaluate(1), ctx],
      ['2026-03-02T06:00:05Z', jobStarted(), ctx],
      ['2026-03-02T07:00:00Z', completion('success'), ctx],
    ]).events
  /** A live rerun attempt still holding the previous success's baseline (§4.2's practical note). */
  const runningWithBaseline = (ctx: Partial<RunContext>, data: Record<string, unknown>) => {
    const done = completedWith(ctx, data)
    const rerunning = play([['2026-03-02T07:30:00Z', rerun('r-1', 'backfill'), ctx]], done).events
    return [...rerunning, ...ofType(done, 'PostRunBaselineCaptured')]
  }

  it('TestPostRunSensor_FailedFinal_Skipped: after a failed run a post-run sensor is only recorded', () => {
    const ctx = postRun({}, { maxRetries: 0 })
    const failed = play([['2026-03-02T07:00:00Z', completion('fail'), ctx]], triggeredRun(ctx)).events
    given(failed)
      .when(sensor('output-rows', { sensor_count: 5 }), context('2026-03-02T08:00:00Z', ctx))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestPostRunSensor_NoPostRunConfig_GoesToTrigger: a key matching neither the trigger nor a post-run rule is only recorded', () => {
    given(succeededRun())
      .when(sensor('output-rows', { sensor_count: 5 }), context('2026-03-02T08:00:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestPostRunDrift_CalendarExclusion (C7): drift on an excluded period still alerts POST_RUN_DRIFT, with PIPELINE_EXCLUDED and no rerun', () => {
    const ctx = postRun()
    const excluded: Partial<RunContext> = {
      config: config({
        postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
        schedule: { trigger: TRIGGER, exclude: { dates: ['2026-03-01'] } },
      }),
    }
    given(completedWith(ctx))
      .when(sensor('output-rows', { sensor_count: 120 }), context('2026-03-02T08:00:00Z', excluded))
      .thenEvents((events) => {
        expect(published(events).map((event) => event.type)).toEqual(['POST_RUN_DRIFT', 'PIPELINE_EXCLUDED'])
        expect(published(events)[1]?.message).toBe(
          'post-run drift rerun skipped for gold-revenue: execution date 2026-03-01 excluded by calendar',
        )
        expect(ofType(events, 'RerunAccepted')).toEqual([])
      })
  })

  it('TestPostRunDrift_NotExcluded_WritesRerun / TestE2E_PostRunMonitoring/DriftDetected_DefaultField: sensor_count is the default drift field; drift asks for a data-drift rerun (DATA_DRIFT, L9)', () => {
    given(completedWith(postRun()))
      .when(sensor('output-rows', { sensor_count: 120 }), context('2026-03-02T08:00:00Z', postRun()))
      .thenEvents((events) => {
        expect(ofType(events, 'PostRunDriftDetected')[0]?.driftField).toBe('sensor_count')
        expect(
          published(events)
            .map((event) => event.type)
            .slice(0, 3),
        ).toEqual(['POST_RUN_DRIFT', 'DATA_DRIFT', 'RERUN_ACCEPTED'])
      })
  })

  it('TestE2E_PostRunMonitoring/PostRunPasses / WindowExhausted: no drift keeps the run Completed with POST_RUN_PASSED; no post-run data, no drift', () => {
    const done = completedWith(postRun())
    given(done)
      .when(sensor('output-rows', { sensor_count: 100 }), context('2026-03-02T08:00:00Z', postRun()))
      .thenEvents((events) =>
        expect(published(events).map((event) => event.type)).toEqual(['POST_RUN_PASSED']),
      )
    expect(ofType(done, 'PostRunDriftDetected')).toEqual([])
  })

  it('§4.2 P8: failing post-run rules after success publish POST_RUN_FAILED and nothing else', () => {
    const done = completedWith(postRun())
    given(done)
      .when(
        sensor('output-rows', { sensor_count: 0, note: 'x' }),
        context('2026-03-02T08:00:00Z', postRun({ driftThreshold: 1000 })),
      )
      .thenEvents((events) => {
        expect(published(events).map((event) => event.type)).toEqual(['POST_RUN_FAILED'])
        expect(ofType(events, 'PostRunValidated')[0]?.ruleResults[0]).toMatchObject({
          passed: false,
          actual: 0,
        })
      })
  })

  it('TestE2E_PostRunInflight/DriftWhileRunning_PublishesEvent_NoRerun / InflightDrift_CustomField / NoDriftWhileRunning_NoEvent: informational only while running', () => {
    const custom = postRun({ driftField: 'count' })
    const running = runningWithBaseline(custom, { sensor_count: 1, count: 10 })
    given(running)
      .when(sensor('output-rows', { sensor_count: 1, count: 15 }), context('2026-03-02T07:40:00Z', custom))
      .thenEvents((events) => {
        expect(published(events).map((event) => event.type)).toEqual(['POST_RUN_DRIFT_INFLIGHT'])
        expect(ofType(events, 'PostRunDriftDetected')[0]).toMatchObject({
          driftField: 'count',
          inflight: true,
        })
        expect(ofType(events, 'RerunAccepted')).toEqual([])
      })
    given(running)
      .when(sensor('output-rows', { sensor_count: 1, count: 10 }), context('2026-03-02T07:40:00Z', custom))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestE2E_ConcurrentDriftDedup/TwoDriftSensors_OnlyOneRerunAccepted: the second drift after a drift rerun completed is refused by the drift budget', () => {
    const ctx = postRun()
    const first = play(
      [
        ['2026-03-02T08:00:00Z', sensor('output-rows', { sensor_count: 120 }), ctx],
        ['2026-03-02T08:00:01Z', evaluate(1, 2), ctx],
        ['2026-03-02T08:00:02Z', jobStarted(2, 1, 'jr-2'), ctx],
        ['2026-03-02T08:30:00Z', completion('success', 2), ctx],
      ],
      completedWith(ctx),
    ).events
    given(first)
      .when(sensor('output-rows', { sensor_count: 150 }), context('2026-03-02T09:00:00Z', ctx))
      .thenEvents((events) =>
        expect(ofType(events, 'RerunRejected')).toEqual([
          expect.objectContaining({ rule: 'drift rerun limit exceeded' }),
        ]),
      )
  })

  it('TestDetectDrift / TestExtractFloatOk (BUG-1: zero is a value): 5000→0 and 0→5000 drift, a negative change drifts, a missing side does not', () => {
    const cases = [
      [{ sensor_count: 5000 }, { sensor_count: 0 }, -5000],
      [{ sensor_count: 0 }, { sensor_count: 5000 }, 5000],
      [{ sensor_count: 100 }, { sensor_count: '90' }, -10],
      [{ sensor_count: 100 }, { other: 1 }, undefined],
      [{ other: 1 }, { sensor_count: 100 }, undefined],
      [{ sensor_count: 100 }, { sensor_count: true }, undefined],
    ] as const
    for (const [baseline, current, delta] of cases) {
      const ctx = postRun()
      given(completedWith(ctx, baseline))
        .when(sensor('output-rows', current), context('2026-03-02T08:00:00Z', ctx))
        .thenEvents((events) => expect(ofType(events, 'PostRunDriftDetected')[0]?.delta).toBe(delta))
    }
  })
})
