import { describe, expect, it } from 'vitest'
import type { RunContext } from './context.ts'
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
  tags,
  triggeredRun,
} from './testing/run-builders.ts'

const withSla = (sla: Record<string, unknown>): Partial<RunContext> => ({
  config: config({ sla: sla as never }),
})
const daily = withSla({ deadline: '09:00', expectedDuration: '30m' })

describe('run, SLA (L4, L5)', () => {
  it('schedules the absolute SLA once, when the period starts: HH:MM on the day after a sensor-triggered daily period', () => {
    given([])
      .when(ready(), context('2026-03-02T06:00:00Z', daily))
      .thenEvents((events) => {
        expect(ofType(events, 'SlaScheduled')).toEqual([
          expect.objectContaining({
            kind: 'absolute',
            warningAt: '2026-03-02T08:30:00.000Z',
            breachAt: '2026-03-02T09:00:00.000Z',
          }),
        ])
        expect(ofType(events, 'TimerRequested').map((event) => event.timerId)).toEqual([
          'sla/absolute/warning',
          'sla/absolute/breach',
          `${RUN.pipelineId}/default/2026-03-01/1/evaluate/1`,
        ])
      })
  })

  it('TestE2E_SLAMonitoring/SLAWarningFired: the warning fires while running (SLA_WARNING, status RUNNING)', () => {
    given(triggeredRun(daily))
      .when(
        { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' },
        context('2026-03-02T08:30:00Z', daily),
      )
      .thenEvents((events) => {
        expect(events).toEqual([expect.objectContaining({ _tag: 'SlaWarningRaised', status: 'RUNNING' })])
        const [warning] = events
        expect(warning && publicEventOf(warning, RUN)).toMatchObject({
          type: 'SLA_WARNING',
          detail: { actionHint: 'pipeline running — may complete before breach' },
        })
      })
  })

  it('TestSLAMonitor_FireAlert_WarningSuppressedPastBreach: a warning at or after breach is not sent', () => {
    given(triggeredRun(daily))
      .when(
        { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' },
        context('2026-03-02T09:00:00Z', daily),
      )
      .thenNothing()
  })

  it('TestSLAMonitor_FireAlert_SuppressedWhenCompleted: a completed run sends no SLA alert', () => {
    const done = play([['2026-03-02T07:00:00Z', completion('success'), daily]], triggeredRun(daily)).events
    given(done)
      .when(
        { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'breach' },
        context('2026-03-02T09:00:00Z', daily),
      )
      .thenNothing()
  })

  it('TestSLAMonitor_Cancel_DeletesBoth / TestE2E_PrimarySFNPaths/HappyPath: success before breach gives SLA_MET', () => {
    given(triggeredRun(daily))
      .when(completion('success'), context('2026-03-02T07:00:00Z', daily))
      .thenEvents((events) =>
        expect(ofType(events, 'SlaVerdictReached')).toEqual([expect.objectContaining({ verdict: 'met' })]),
      )
  })

  it('TestE2E_SLAMonitoring/SLABreachThenJobSucceeds (D6): a success after the stored breach instant is SLA_BREACH', () => {
    const breached = play(
      [['2026-03-02T09:00:00Z', { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'breach' }, daily]],
      triggeredRun(daily),
    ).events
    expect(ofType(breached, 'SlaBreachRaised')).toHaveLength(1)
    given(breached)
      .when(completion('success'), context('2026-03-02T09:30:00Z', daily))
      .thenEvents((events) => expect(ofType(events, 'SlaVerdictReached')[0]?.verdict).toBe('breached'))
  })

  it('L4: a failure before breach gives no SLA_MET', () => {
    const failing = {
      config: config({
        sla: { deadline: '09:00' } as never,
        job: { type: 'command', config: { command: 'x' }, maxRetries: 0 } as never,
      }),
    }
    given(triggeredRun(failing))
      .when(completion('fail'), context('2026-03-02T07:00:00Z', failing))
      .thenEvents((events) => expect(ofType(events, 'SlaVerdictReached')).toEqual([]))
  })

  it('L5: a fired SLA alert is never raised again', () => {
    const warned = play(
      [['2026-03-02T08:30:00Z', { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' }, daily]],
      triggeredRun(daily),
    ).events
    given(warned)
      .when(
        { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' },
        context('2026-03-02T08:31:00Z', daily),
      )
      .thenNothing()
  })

  it('TestSLACalculate_HourlyDate_RelativeDeadline: :MM on an hourly period is minute MM of hour H+1', () => {
    const hourly = withSla({ deadline: ':30', expectedDuration: '10m' })
    given([])
      .when(ready(), { ...context('2026-03-03T10:05:00Z', hourly), run: { ...RUN, period: '2026-03-03T10' } })
      .thenEvents((events) =>
        expect(ofType(events, 'SlaScheduled')[0]).toMatchObject({
          breachAt: '2026-03-03T11:30:00.000Z',
          warningAt: '2026-03-03T11:20:00.000Z',
        }),
      )
  })

  it('D8: a relative SLA runs from the first sensor arrival, warning at 75 % without expectedDuration', () => {
    const relative = withSla({ maxDuration: '4h' })
    given([])
      .when(ready(), context('2026-03-02T10:00:00Z', relative))
      .thenEvents((events) =>
        expect(ofType(events, 'SlaScheduled')[0]).toMatchObject({
          kind: 'relative',
          warningAt: '2026-03-02T13:00:00.000Z',
          breachAt: '2026-03-02T14:00:00.000Z',
          arrivedAt: '2026-03-02T10:00:00.000Z',
        }),
      )
  })

  it('TestWatchdog_RelativeSLA_SensorArrival_Breached: the watchdog raises RELATIVE_SLA_BREACH once when no timer did', () => {
    const relative = withSla({ maxDuration: '2h' })
    const started = play([['2026-03-02T14:00:00Z', ready(), relative]]).events
    given(started).when({ _tag: 'CheckRelativeSla' }, context('2026-03-02T15:00:00Z', relative)).thenNothing()
    const breached = play([['2026-03-02T17:00:00Z', { _tag: 'CheckRelativeSla' }, relative]], started).events
    const raised = ofType(breached, 'SlaBreachRaised')
    expect(raised).toEqual([expect.objectContaining({ kind: 'relative', source: 'watchdog' })])
    expect(raised[0] && publicEventOf(raised[0], RUN)?.type).toBe('RELATIVE_SLA_BREACH')
    given(breached)
      .when({ _tag: 'CheckRelativeSla' }, context('2026-03-02T17:05:00Z', relative))
      .thenNothing()
  })
})

describe('run, post-run monitoring (§4)', () => {
  const postRun = (extra: Record<string, unknown> = {}): Partial<RunContext> => ({
    config: config({
      postRun: {
        rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }],
        ...extra,
      } as never,
    }),
  })
  const completed = (ctx: Partial<RunContext>) =>
    play([
      ['2026-03-02T05:00:00Z', sensor('output-rows', { sensor_count: 100 }), ctx],
      ['2026-03-02T06:00:00Z', ready(), ctx],
      ['2026-03-02T06:00:01Z', evaluate(1), ctx],
      ['2026-03-02T06:00:05Z', jobStarted(), ctx],
      ['2026-03-02T07:00:00Z', completion('success'), ctx],
    ]).events

  it('TestCompleteTrigger_Success_CapturesBaseline: success stores each post-run rule sensor under its rule key', () => {
    expect(ofType(completed(postRun()), 'PostRunBaselineCaptured')[0]?.baseline).toEqual({
      'output-rows': { sensor_count: 100 },
    })
  })

  it('TestPostRunSensor_Completed_DriftDetected: drift after success alerts and asks for a data-drift rerun', () => {
    given(completed(postRun()))
      .when(
        sensor('output-rows', { sensor_count: 120, updatedAt: '2026-03-02T07:30:00Z' }),
        context('2026-03-02T08:00:00Z', postRun()),
      )
      .thenEvents((events) => {
        expect(tags(events).slice(0, 5)).toEqual([
          'SensorReadingRecorded',
          'PostRunDriftDetected',
          'DriftRerunRequested',
          'PostRunBaselineCleared',
          'RerunAccepted',
        ])
        expect(ofType(events, 'PostRunDriftDetected')[0]).toMatchObject({
          previous: 100,
          current: 120,
          delta: 20,
          inflight: false,
        })
        expect(ofType(events, 'RerunAccepted')[0]?.reason).toBe('data-drift')
      })
  })

  it('TestE2E_PostRunMonitoring/DriftDetected_CustomField: driftField is honoured', () => {
    const custom = postRun({ driftField: 'count' })
    const events = play([
      ['2026-03-02T05:00:00Z', sensor('output-rows', { sensor_count: 5, count: 10 }), custom],
      ['2026-03-02T06:00:00Z', ready(), custom],
      ['2026-03-02T06:00:01Z', evaluate(1), custom],
      ['2026-03-02T06:00:05Z', jobStarted(), custom],
      ['2026-03-02T07:00:00Z', completion('success'), custom],
      ['2026-03-02T08:00:00Z', sensor('output-rows', { sensor_count: 5, count: 0 }), custom],
    ]).events
    expect(ofType(events, 'PostRunDriftDetected')[0]).toMatchObject({
      driftField: 'count',
      previous: 10,
      current: 0,
    })
  })

  it('TestDetectDrift: a change equal to the threshold is not drift; zero is a value', () => {
    given(completed(postRun({ driftThreshold: 20 })))
      .when(
        sensor('output-rows', { sensor_count: 120 }),
        context('2026-03-02T08:00:00Z', postRun({ driftThreshold: 20 })),
      )
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded', 'PostRunValidated']))
  })

  it('TestPostRunSensor_Completed_NoDrift_RulesPass: no drift after success evaluates the post-run rules (POST_RUN_PASSED)', () => {
    given(completed(postRun()))
      .when(sensor('output-rows', { sensor_count: 100 }), context('2026-03-02T08:00:00Z', postRun()))
      .thenEvents((events) => expect(ofType(events, 'PostRunValidated')[0]?.passed).toBe(true))
  })

  it('TestPostRunSensor_Running_InflightDrift: drift while a rerun is live is informational only', () => {
    const live = play(
      [
        [
          '2026-03-02T08:00:00Z',
          sensor('upstream-complete', { status: 'x', updatedAt: '2026-03-02T07:30:00Z' }),
          postRun(),
        ],
      ],
      completed(postRun()),
    ).events
    const withBaseline = [...live, ...ofType(completed(postRun()), 'PostRunBaselineCaptured')]
    const running = play([['2026-03-02T08:01:00Z', rerun('r-1'), postRun()]], withBaseline).events
    const rebased = [...running, ...ofType(completed(postRun()), 'PostRunBaselineCaptured')]
    given(rebased)
      .when(sensor('output-rows', { sensor_count: 130 }), context('2026-03-02T08:05:00Z', postRun()))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['SensorReadingRecorded', 'PostRunDriftDetected'])
        expect(ofType(events, 'PostRunDriftDetected')[0]?.inflight).toBe(true)
      })
  })

  it('TestPostRunSensor_NoTrigger_Skipped / TestE2E_PostRunBeforeBaseline: before any run a post-run sensor is only recorded', () => {
    given([])
      .when(sensor('output-rows', { sensor_count: 1 }), context('2026-03-02T08:00:00Z', postRun()))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestWatchdog_PostRunSensorMissing: no post-run sensor within sensorTimeout after success alerts once', () => {
    const timeout = postRun({ sensorTimeout: '1h' })
    const done = completed(timeout)
    given(done).when({ _tag: 'CheckPostRunSensors' }, context('2026-03-02T07:30:00Z', timeout)).thenNothing()
    const alerted = play([['2026-03-02T10:00:00Z', { _tag: 'CheckPostRunSensors' }, timeout]], done).events
    expect(ofType(alerted, 'PostRunSensorMissing')).toEqual([
      expect.objectContaining({ sensorTimeout: '1h', ruleKeys: ['output-rows'] }),
    ])
    given(alerted)
      .when({ _tag: 'CheckPostRunSensors' }, context('2026-03-02T10:05:00Z', timeout))
      .thenNothing()
  })

  it('TestWatchdog_PostRunSensorPresent: a post-run sensor after success prevents the alert', () => {
    const timeout = postRun({ sensorTimeout: '1h' })
    const arrived = play(
      [['2026-03-02T07:10:00Z', sensor('output-rows', { sensor_count: 100 }), timeout]],
      completed(timeout),
    ).events
    given(arrived)
      .when({ _tag: 'CheckPostRunSensors' }, context('2026-03-02T10:00:00Z', timeout))
      .thenNothing()
  })
})

describe('run, watchdog checks (§5)', () => {
  it('TestWatchdog_StaleTrigger_PublishesSFNTimeout: a live attempt past its lock expiry times out (SFN_TIMEOUT)', () => {
    given(triggeredRun())
      .when({ _tag: 'CheckStaleRun' }, context('2026-03-02T10:30:01Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['RunTimedOut']))
  })

  it('TestWatchdog_StaleTrigger_TTLExactlyNow_NoAlert: expiry exactly now is not stale', () => {
    given(triggeredRun()).when({ _tag: 'CheckStaleRun' }, context('2026-03-02T10:30:00Z')).thenNothing()
  })

  it('D3: a validation-exhausted run is never reported as timed out', () => {
    const strict = {
      config: config({ validation: { trigger: 'ALL', rules: [{ key: 'x', check: 'exists' }] } }),
    }
    const steps = Array.from(
      { length: 13 },
      (_, index) =>
        [`2026-03-02T06:${String(index * 4).padStart(2, '0')}:30Z`, evaluate(index + 1), strict] as const,
    )
    const exhausted = play(steps, play([['2026-03-02T06:00:00Z', ready(), strict]]).events).events
    expect(ofType(exhausted, 'ValidationExhausted')).toHaveLength(1)
    given(exhausted).when({ _tag: 'CheckStaleRun' }, context('2026-03-02T12:00:00Z', strict)).thenNothing()
  })

  it('TestWatchdog_MissedSchedule_PublishesAlert (D9): once per period, only after the expected fire', () => {
    const cron = { config: config({ schedule: { cron: '0 8 * * *' } }) }
    const check = {
      _tag: 'CheckMissedSchedule',
      expectedAt: '2026-03-01T08:00:00.000Z',
      monitoringSince: '2026-02-01T00:00:00.000Z',
    } as const
    given([])
      .when(check as never, context('2026-03-01T07:59:00Z', cron))
      .thenNothing()
    const missed = play([['2026-03-01T08:05:00Z', check as never, cron]]).events
    expect(tags(missed)).toEqual(['ScheduleMissed'])
    given(missed)
      .when(check as never, context('2026-03-01T08:10:00Z', cron))
      .thenNothing()
  })

  it('TestWatchdog_MissedSchedule_SkipsPreDeployment (D10): a fire before monitoring began is not missed', () => {
    const cron = { config: config({ schedule: { cron: '0 8 * * *' } }) }
    given([])
      .when(
        {
          _tag: 'CheckMissedSchedule',
          expectedAt: '2026-03-01T08:00:00.000Z',
          monitoringSince: '2026-03-01T09:00:00.000Z',
        } as never,
        context('2026-03-01T10:00:00Z', cron),
      )
      .thenNothing()
  })

  it('TestWatchdog_Reconcile_TriggersRecovery: a stored satisfied trigger sensor with nothing run starts the run', () => {
    const recorded = play([['2026-03-02T06:00:00Z', ready(), { paused: true }]]).events
    given(recorded)
      .when({ _tag: 'ReconcileTrigger' }, context('2026-03-02T06:05:00Z'))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['AttemptStarted', 'TimerRequested', 'TriggerRecovered'])
        expect(ofType(events, 'AttemptStarted')[0]?.cause).toBe('recovered')
      })
  })

  it('TestWatchdog_Reconcile_ConditionNotMet: a stored sensor that fails the condition recovers nothing', () => {
    const recorded = play([
      ['2026-03-02T06:00:00Z', sensor('upstream-complete', { status: 'pending' })],
    ]).events
    given(recorded).when({ _tag: 'ReconcileTrigger' }, context('2026-03-02T06:05:00Z')).thenNothing()
  })

  it('TestWatchdog_ScheduleSLAAlerts_SensorDeadlineExpired_WritesFAILEDFINAL: the trigger window closes; later sensors start nothing', () => {
    const deadline = {
      config: config({
        schedule: {
          trigger: {
            key: 'upstream-complete',
            check: 'equals',
            field: 'status',
            value: 'ready',
            deadline: '09:00',
          },
        },
      }),
    }
    const closed = play([
      [
        '2026-03-02T09:05:00Z',
        { _tag: 'CheckTriggerDeadline', deadlineAt: '2026-03-02T09:00:00.000Z' } as never,
        deadline,
      ],
    ]).events
    expect(tags(closed)).toEqual(['TriggerWindowClosed'])
    given(closed)
      .when(ready(), context('2026-03-02T09:10:00Z', deadline))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestWatchdog_DryRun_SkipsAllSchedulingAndAlerts: a dry-run pipeline is never acted on by the watchdog', () => {
    const dry = {
      config: config({
        dryRun: true,
        sla: { deadline: '09:00', expectedDuration: '30m', maxDuration: '2h' } as never,
      }),
    }
    for (const command of [
      { _tag: 'ScheduleSla' },
      { _tag: 'CheckRelativeSla' },
      { _tag: 'ReconcileTrigger' },
    ] as const) {
      given([]).when(command, context('2026-03-02T12:00:00Z', dry)).thenNothing()
    }
  })
})

describe('run, dry-run (§7, L10)', () => {
  const dry = (extra: Record<string, unknown> = {}): Partial<RunContext> => ({
    config: config({ dryRun: true, ...extra }),
  })

  it('TestHandleSensorEvent_DryRun_WouldTrigger / Completed_NoSLA: observes, starts nothing', () => {
    given([])
      .when(ready(), context('2026-03-02T06:00:00Z', dry()))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['SensorReadingRecorded', 'DryRunWouldTrigger', 'DryRunCompleted'])
        expect(ofType(events, 'DryRunCompleted')[0]?.slaStatus).toBe('n/a')
      })
  })

  it('TestHandleSensorEvent_DryRun_LateData: after the marker, a trigger sensor is late data', () => {
    const marked = play([['2026-03-02T06:00:00Z', ready(), dry()]]).events
    given(marked)
      .when(ready(), context('2026-03-02T07:30:00Z', dry()))
      .thenEvents((events) => expect(ofType(events, 'DryRunLateData')[0]?.lateByMs).toBe(90 * 60_000))
  })

  it('TestHandleSensorEvent_DryRun_SLAProjection_Breach: 01:50 + 30m against a 02:00 deadline would breach', () => {
    const sla = dry({ sla: { deadline: '02:00', expectedDuration: '30m' } })
    given([])
      .when(ready(), context('2026-03-02T01:50:00Z', sla))
      .thenEvents((events) =>
        expect(ofType(events, 'DryRunSlaProjected')[0]).toMatchObject({
          status: 'breach',
          marginSeconds: -1200,
        }),
      )
  })

  it('TestRerun_DryRun_SkipsExecution / NoJobHistory: would rerun, records nothing else', () => {
    given([])
      .when(rerun('r-1'), context('2026-03-02T06:00:00Z', dry()))
      .thenEvents((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            _tag: 'DryRunWouldRerun',
            circuitBreaker: 'skipped (no job history)',
            budget: 1,
          }),
        ]),
      )
  })

  it('TestJobFailure_DryRun_SkipsRerun: a reported failure is only an observation', () => {
    given([])
      .when(completion('fail'), context('2026-03-02T06:00:00Z', dry()))
      .thenEvents((events) => expect(tags(events)).toEqual(['DryRunWouldRetry']))
  })
})
