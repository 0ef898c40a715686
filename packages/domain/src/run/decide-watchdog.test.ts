import { describe, expect, it } from 'vitest'
import type { RunCommand } from './commands.ts'
import type { RunContext } from './context.ts'
import type { RunEvent } from './events.ts'
import { publicEventOf } from './public-events.ts'
import {
  completion,
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
  triggeredRun,
  triggerFailure,
} from './testing/run-builders.ts'

// Lifecycle spec §11.15 (and the watchdog scenarios of §11.18): what each watchdog check decides for one
// run stream. Which streams a scan visits, and the expected instants it computes, are the processor's.

const TRIGGER = { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' } as const
const withSchedule = (
  schedule: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Partial<RunContext> => ({
  config: config({ schedule: { trigger: TRIGGER, ...schedule }, ...extra }),
})
const noRetries: Partial<RunContext> = {
  config: config({ job: { type: 'command', config: { command: 'x' }, maxRetries: 0 } as never }),
}
const published = (events: ReadonlyArray<RunEvent>) =>
  events.map((event) => publicEventOf(event, RUN)).filter((event) => event !== null)
const reconcile: RunCommand = { _tag: 'ReconcileTrigger' }
const stored = (ctx: Partial<RunContext> = {}) =>
  play([['2026-03-02T06:00:00Z', ready(), { ...ctx, paused: true }]]).events

describe('watchdog: stale runs (§5.2)', () => {
  it('TestWatchdog_FreshTrigger_NoAlert: a live attempt before its lock expiry is left alone', () => {
    given(triggeredRun()).when({ _tag: 'CheckStaleRun' }, context('2026-03-02T09:00:00Z')).thenNothing()
  })

  it('TestWatchdog_StaleTrigger_DetailFields / TestE2E_Watchdog/StaleTriggerDetected: SFN_TIMEOUT with source, hint and the expiry; the period is closed until a rerun', () => {
    const timedOut = play([['2026-03-02T10:31:00Z', { _tag: 'CheckStaleRun' }]], triggeredRun()).events
    expect(published(timedOut.slice(-1))).toEqual([
      {
        type: 'SFN_TIMEOUT',
        severity: 'critical',
        alert: true,
        message: 'step function timed out for gold-revenue/default/2026-03-01',
        detail: {
          source: 'watchdog',
          actionHint: 'run exceeded its lock TTL — check the job and the processor',
          ttlExpired: '2026-03-02T10:30:00.000Z',
        },
      },
    ])
    given(timedOut)
      .when(ready(), context('2026-03-02T11:00:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
    given(timedOut).when({ _tag: 'CheckStaleRun' }, context('2026-03-02T11:00:00Z')).thenNothing()
    given(timedOut)
      .when(rerun('r-1'), context('2026-03-02T11:00:00Z'))
      .thenEvents((events) => expect(ofType(events, 'AttemptStarted')).toHaveLength(1))
  })
})

describe('watchdog: missed schedules (§5.3, L6)', () => {
  const cron = withSchedule({ cron: '0 8 * * *' })
  const check = (expectedAt: string, monitoringSince = '2026-02-01T00:00:00.000Z'): RunCommand =>
    ({ _tag: 'CheckMissedSchedule', expectedAt, monitoringSince }) as RunCommand

  it('TestWatchdog_SchedulePresent_NoAlert: a period that ran is not missed', () => {
    given(play([['2026-03-01T08:00:00Z', ready(), cron]]).events)
      .when(check('2026-03-01T08:00:00.000Z'), context('2026-03-01T08:10:00Z', cron))
      .thenNothing()
  })

  it('TestWatchdog_CalendarExcluded_NoAlert (C7): an excluded period is not missed', () => {
    const weekends = withSchedule({ cron: '0 8 * * *', exclude: { weekends: true } })
    given([]).when(check('2026-03-01T08:00:00.000Z'), context('2026-03-01T09:00:00Z', weekends)).thenNothing()
  })

  it('TestWatchdog_MissedSchedule_AlertsPostDeployment (D10): a fire after monitoring began is missed', () => {
    given([])
      .when(
        check('2026-03-01T08:00:00.000Z', '2026-03-01T07:00:00.000Z'),
        context('2026-03-01T09:00:00Z', cron),
      )
      .thenEvents((events) => expect(tags(events)).toEqual(['ScheduleMissed']))
  })

  it('TestWatchdog_MissedSchedule_DetailFields / TestE2E_Watchdog/MissedCronSchedule: SCHEDULE_MISSED names the cron and the expected time', () => {
    const hourly = withSchedule({ cron: '0 * * * *' })
    given([])
      .when(check('2026-03-01T10:00:00.000Z'), {
        ...context('2026-03-01T10:05:00Z', hourly),
        run: { ...RUN, period: '2026-03-01T09' },
      })
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          {
            type: 'SCHEDULE_MISSED',
            severity: 'critical',
            alert: true,
            message: 'missed schedule for gold-revenue on 2026-03-01',
            detail: {
              source: 'watchdog',
              cron: '0 * * * *',
              actionHint: 'cron 0 * * * * expected to fire — no trigger found',
              expectedTime: '2026-03-01T10:00:00.000Z',
            },
          },
        ]),
      )
  })

  it('TestWatchdog_MissedSchedule_BeforeScheduleTime_NoAlert (D9): not before the expected fire', () => {
    given([]).when(check('2026-03-01T23:59:00.000Z'), context('2026-03-01T12:00:00Z', cron)).thenNothing()
  })
})

describe('watchdog: missed inclusion dates (§5.4, C5)', () => {
  const monthly = withSchedule({ include: { dates: ['2026-03-01', '2026-03-31'] } })
  const check = (expectedAt: string): RunCommand => ({ _tag: 'CheckInclusionDate', expectedAt }) as RunCommand

  it('TestWatchdog_InclusionSchedule_TriggerMissing_PublishesAlert / _NoTimeConfig: IRREGULAR_SCHEDULE_MISSED once for the date', () => {
    given([])
      .when(check('2026-03-01T00:00:00.000Z'), context('2026-03-01T00:05:00Z', monthly))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'IRREGULAR_SCHEDULE_MISSED',
            message: 'missed inclusion schedule for gold-revenue on 2026-03-01',
            detail: {
              source: 'watchdog',
              actionHint: 'inclusion date 2026-03-01 expected to have a trigger — none found',
            },
          }),
        ]),
      )
  })

  it('TestWatchdog_InclusionSchedule_MultiDateGap: each missed inclusion date alerts once in its own period', () => {
    for (const period of ['2026-03-01', '2026-03-31']) {
      given([])
        .when(check(`${period}T00:00:00.000Z`), {
          ...context('2026-04-01T00:05:00Z', monthly),
          run: { ...RUN, period },
        })
        .thenEvents((events) => expect(tags(events)).toEqual(['InclusionDateMissed']))
    }
  })

  it('TestWatchdog_InclusionSchedule_DedupPreventsRepeat: never twice', () => {
    const alerted = play([['2026-03-01T00:05:00Z', check('2026-03-01T00:00:00.000Z'), monthly]]).events
    given(alerted)
      .when(check('2026-03-01T00:00:00.000Z'), context('2026-03-01T00:10:00Z', monthly))
      .thenNothing()
  })

  it('TestWatchdog_InclusionSchedule_TriggerExists_NoAlert: a date that ran is not missed', () => {
    given(play([['2026-03-01T06:00:00Z', ready(), monthly]]).events)
      .when(check('2026-03-01T00:00:00.000Z'), context('2026-03-01T07:00:00Z', monthly))
      .thenNothing()
  })

  it('TestWatchdog_InclusionSchedule_RespectsScheduleTime / _PastScheduleTime: not before the expected time, once after it', () => {
    given([]).when(check('2026-03-01T10:00:00.000Z'), context('2026-03-01T08:00:00Z', monthly)).thenNothing()
    given([])
      .when(check('2026-03-01T10:00:00.000Z'), context('2026-03-01T11:00:00Z', monthly))
      .thenEvents((events) => expect(tags(events)).toEqual(['InclusionDateMissed']))
  })
})

describe('watchdog: reconciliation (§5.5, D11)', () => {
  it('TestWatchdog_Reconcile_SkipsAlreadyTriggered: a period with an attempt is not recovered', () => {
    given(triggeredRun()).when(reconcile, context('2026-03-02T06:30:00Z')).thenNothing()
  })

  it('TestWatchdog_Reconcile_CalendarExcluded (D11: judged on the period date): an excluded period is not recovered', () => {
    const weekends = withSchedule({ exclude: { weekends: true } })
    given(stored(weekends)).when(reconcile, context('2026-03-02T06:05:00Z', weekends)).thenNothing()
  })

  it('TestWatchdog_Reconcile_NoTriggerCondition_Skips: without schedule.trigger nothing is recovered', () => {
    const noTrigger = { config: config({ schedule: {} }) }
    given(stored()).when(reconcile, context('2026-03-02T06:05:00Z', noTrigger)).thenNothing()
  })

  it('TestWatchdog_Reconcile_SkipsTerminalSuccess / _SkipsTerminalFail / _SkipsTerminalTimeout / TestE2E_Watchdog/ReconcileSkipsCompletedPipeline / ReconcileSkipsFailedPipeline: a period with an outcome is never recovered', () => {
    const gaveUp = play([
      ['2026-03-02T06:00:00Z', ready()],
      ['2026-03-02T06:00:01Z', evaluate(1)],
      ['2026-03-02T06:00:02Z', triggerFailure(1, 1, 'PERMANENT')],
    ]).events
    const histories = [
      play([['2026-03-02T07:00:00Z', completion('success')]], triggeredRun()).events,
      play([['2026-03-02T07:00:00Z', completion('fail'), noRetries]], triggeredRun(noRetries)).events,
      play([['2026-03-02T07:00:00Z', completion('timeout'), noRetries]], triggeredRun(noRetries)).events,
      gaveUp,
    ]
    for (const history of histories) {
      given(history).when(reconcile, context('2026-03-02T08:00:00Z', noRetries)).thenNothing()
    }
  })

  it('TestWatchdog_Reconcile_PerHour_MultipleRecoveries / _PartiallyTriggered: each hourly period recovers on its own; a triggered hour does not', () => {
    const hours = ['2026-03-02T10', '2026-03-02T11']
    for (const period of hours) {
      const run = { ...RUN, period }
      const recorded = play([
        [
          '2026-03-02T12:00:00Z',
          sensor(`upstream-complete#${period}`, { status: 'ready' }),
          { run, paused: true },
        ],
      ]).events
      given(recorded)
        .when(reconcile, { ...context('2026-03-02T12:05:00Z'), run })
        .thenEvents((events) =>
          expect(published(events).map((event) => event.type)).toEqual(['TRIGGER_RECOVERED']),
        )
    }
    const triggered = { ...RUN, period: '2026-03-02T10' }
    const live = play([
      [
        '2026-03-02T12:00:00Z',
        sensor('upstream-complete#2026-03-02T10', { status: 'ready' }),
        { run: triggered },
      ],
    ]).events
    given(live)
      .when(reconcile, { ...context('2026-03-02T12:05:00Z'), run: triggered })
      .thenNothing()
  })

  it('TestWatchdog_Reconcile_CronPipeline_SkipsReconciliation (overruled by C4: the cron itself opens the period and a trigger may open it first): a cron pipeline with a satisfied stored trigger is recovered', () => {
    const cron = withSchedule({ cron: '0 8 * * *' })
    given(stored(cron))
      .when(reconcile, context('2026-03-02T06:05:00Z', cron))
      .thenEvents((events) => expect(ofType(events, 'TriggerRecovered')).toHaveLength(1))
  })

  it('TestE2E_Watchdog/ReconcileRecoversGenuineMiss / TestE2E_CrossHandlerEdgeCases/WatchdogSelfHealing: TRIGGER_RECOVERED and the run is RUNNING, without JOB_TRIGGERED or a first arrival', () => {
    given(stored())
      .when(reconcile, context('2026-03-02T06:05:00Z'))
      .thenEvents((events) => {
        expect(published(events).map((event) => event.type)).toEqual(['TRIGGER_RECOVERED'])
        expect(tags(events)).not.toContain('FirstSensorArrivalRecorded')
      })
    given(stored())
      .when(reconcile, context('2026-03-02T06:05:00Z'))
      .thenState((state) => expect(state.lifecycle.status).toBe('Evaluating'))
  })
})

describe('watchdog: trigger deadlines (§5.7)', () => {
  const deadline = withSchedule({ trigger: { ...TRIGGER, deadline: '09:00' } })
  const check: RunCommand = {
    _tag: 'CheckTriggerDeadline',
    deadlineAt: '2026-03-02T09:00:00.000Z',
  } as RunCommand

  it('TestWatchdog_ScheduleSLAAlerts_SensorDeadlineExpired_SkipsIfTriggerExists: a period that started is not closed', () => {
    given(play([['2026-03-02T08:00:00Z', ready(), deadline]]).events)
      .when(check, context('2026-03-02T09:05:00Z', deadline))
      .thenNothing()
  })

  it('TestWatchdog_ScheduleSLAAlerts_SensorDeadlineNotExpired_SchedulesSLAOnly: before the deadline nothing closes', () => {
    given([]).when(check, context('2026-03-02T08:55:00Z', deadline)).thenNothing()
  })

  it('TestWatchdog_ScheduleSLAAlerts_DailySensorDeadlineExpired_WritesFAILEDFINAL: SENSOR_DEADLINE_EXPIRED; only a rerun reopens the period', () => {
    const closed = play([['2026-03-02T09:05:00Z', check, deadline]]).events
    expect(published(closed)).toEqual([
      expect.objectContaining({
        type: 'SENSOR_DEADLINE_EXPIRED',
        message: 'trigger deadline expired for gold-revenue/default/2026-03-01',
        detail: {
          source: 'watchdog',
          triggerDeadline: '09:00',
          actionHint: 'auto-trigger window closed — use RERUN_REQUEST to restart',
        },
      }),
    ])
    given(closed)
      .when(rerun('r-1'), context('2026-03-02T10:00:00Z', deadline))
      .thenEvents((events) => expect(ofType(events, 'AttemptStarted')).toHaveLength(1))
  })
})

describe('watchdog: post-run sensors and relative SLA (§5.8, §5.9)', () => {
  it('TestWatchdog_PostRunNoConfig: without post-run rules nothing is missing', () => {
    given(play([['2026-03-02T07:00:00Z', completion('success')]], triggeredRun()).events)
      .when({ _tag: 'CheckPostRunSensors' }, context('2026-03-02T12:00:00Z'))
      .thenNothing()
  })

  it('TestWatchdog_RelativeSLA_NoMaxDuration_Skips: without maxDuration nothing is checked', () => {
    given(triggeredRun()).when({ _tag: 'CheckRelativeSla' }, context('2026-03-03T12:00:00Z')).thenNothing()
  })

  it('TestWatchdog_RelativeSLA_Breached_AlreadyCompleted_NoAlert: a completed run is not breached', () => {
    const relative = { config: config({ sla: { maxDuration: '2h' } as never }) }
    given(play([['2026-03-02T07:00:00Z', completion('success'), relative]], triggeredRun(relative)).events)
      .when({ _tag: 'CheckRelativeSla' }, context('2026-03-02T17:00:00Z', relative))
      .thenNothing()
  })

  it('TestWatchdog_RelativeSLA_CrossDayArrival / _CrossDayNotBreached: an arrival before midnight breaches after it, in its own period', () => {
    const relative = { config: config({ sla: { maxDuration: '2h' } as never }) }
    const arrived = play([['2026-03-01T23:00:00Z', ready(), relative]]).events
    given(arrived).when({ _tag: 'CheckRelativeSla' }, context('2026-03-02T00:30:00Z', relative)).thenNothing()
    given(arrived)
      .when({ _tag: 'CheckRelativeSla' }, context('2026-03-02T03:00:00Z', relative))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'RELATIVE_SLA_BREACH',
            message: 'relative SLA breach for gold-revenue on 2026-03-01',
            detail: expect.objectContaining({ breachAt: '2026-03-02T01:00:00.000Z', source: 'watchdog' }),
          }),
        ]),
      )
  })
})
