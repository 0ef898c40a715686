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
  tags,
  triggeredRun,
  triggerFailure,
} from './testing/run-builders.ts'

// Lifecycle spec §11.14 (what the SLA monitor decided, not its arithmetic: that is src/sla) and the SLA
// scenarios of §11.15 and §11.18. Period 2026-03-01, sensor-triggered daily: `09:00` breaches on 03-02 (L4).

const withSla = (sla: Record<string, unknown>, extra: Record<string, unknown> = {}): Partial<RunContext> => ({
  config: config({ sla: sla as never, ...extra }),
})
const daily = withSla({ deadline: '09:00', expectedDuration: '30m' })
const noRetries = withSla(
  { deadline: '09:00', expectedDuration: '30m' },
  { job: { type: 'command', config: { command: 'x' }, maxRetries: 0 } },
)
const fire = (alert: 'warning' | 'breach', kind: 'absolute' | 'relative' = 'absolute'): RunCommand => ({
  _tag: 'FireSlaTimer',
  kind,
  alert,
})
const scheduleSla: RunCommand = { _tag: 'ScheduleSla' }
const published = (events: ReadonlyArray<RunEvent>) =>
  events.map((event) => publicEventOf(event, RUN)).filter((event) => event !== null)
/** The SLA scheduled by the watchdog at 00:30, before anything arrived. */
const scheduled = play([['2026-03-02T00:30:00Z', scheduleSla, daily]]).events

describe('SLA scheduling (§5.6, L4, D7)', () => {
  it('TestWatchdog_ScheduleSLAAlerts_CreatesSchedules / _SensorTriggered_CreatesSLASchedules / TestSLAMonitor_Schedule_CreatesTwo / TestSLAScheduleName_Deterministic: the instants are stored once and two timers with fixed ids are asked for', () => {
    expect(tags(scheduled)).toEqual(['SlaScheduled', 'TimerRequested', 'TimerRequested'])
    expect(ofType(scheduled, 'SlaScheduled')[0]).toMatchObject({
      kind: 'absolute',
      deadline: '09:00',
      expectedDuration: '30m',
      warningAt: '2026-03-02T08:30:00.000Z',
      breachAt: '2026-03-02T09:00:00.000Z',
    })
    expect(ofType(scheduled, 'TimerRequested').map((event) => [event.timerId, event.fireAt])).toEqual([
      ['sla/absolute/warning', '2026-03-02T08:30:00.000Z'],
      ['sla/absolute/breach', '2026-03-02T09:00:00.000Z'],
    ])
  })

  it('TestWatchdog_ScheduleSLAAlerts_SensorDaily_DeadlineNextDay: 02:00 for a sensor-triggered daily period is 02:00 the day after it', () => {
    given([])
      .when(scheduleSla, {
        ...context('2026-03-10T00:30:00Z', withSla({ deadline: '02:00', expectedDuration: '30m' })),
        run: { ...RUN, period: '2026-03-10' },
      })
      .thenEvents((events) =>
        expect(ofType(events, 'SlaScheduled')[0]?.breachAt).toBe('2026-03-11T02:00:00.000Z'),
      )
  })

  it('TestWatchdog_ScheduleSLAAlerts_DailyPipeline: a cron daily pipeline breaches on the fire’s day (no shift)', () => {
    const cron = withSla({ deadline: '02:00', expectedDuration: '30m' }, { schedule: { cron: '0 1 * * *' } })
    given([])
      .when(scheduleSla, { ...context('2026-03-10T00:30:00Z', cron), run: { ...RUN, period: '2026-03-10' } })
      .thenEvents((events) =>
        expect(ofType(events, 'SlaScheduled')[0]?.breachAt).toBe('2026-03-10T02:00:00.000Z'),
      )
  })

  it('TestWatchdog_ScheduleSLAAlerts_HourlyPipeline_UsesCompositeDate / TestE2E_SLAHourlyDeadline: the hourly period T13 with :30 / 15m breaches at 14:30, warns at 14:15', () => {
    given([])
      .when(scheduleSla, {
        ...context('2026-03-10T14:10:00Z', withSla({ deadline: ':30', expectedDuration: '15m' })),
        run: { ...RUN, period: '2026-03-10T13' },
      })
      .thenEvents((events) =>
        expect(ofType(events, 'SlaScheduled')[0]).toMatchObject({
          warningAt: '2026-03-10T14:15:00.000Z',
          breachAt: '2026-03-10T14:30:00.000Z',
        }),
      )
  })

  it('TestWatchdog_ScheduleSLAAlerts_NoSLAConfig_Skips: no SLA, nothing scheduled', () => {
    given([]).when(scheduleSla, context('2026-03-02T00:30:00Z')).thenNothing()
  })

  it('TestWatchdog_ScheduleSLAAlerts_ConflictSkips (D7): a second scan schedules nothing again', () => {
    given(scheduled).when(scheduleSla, context('2026-03-02T00:35:00Z', daily)).thenNothing()
  })

  it('TestWatchdog_ScheduleSLAAlerts_SkipsCompletedTrigger / _SkipsFailedFinalTrigger / _SkipsByJoblogNoTrigger: a period with an outcome gets no SLA', () => {
    const completed = play([['2026-03-02T07:00:00Z', completion('success')]], triggeredRun()).events
    const failed = play(
      [['2026-03-02T07:00:00Z', completion('fail'), noRetries]],
      triggeredRun(noRetries),
    ).events
    const gaveUp = play([
      ['2026-03-02T06:00:00Z', ready()],
      ['2026-03-02T06:00:01Z', evaluate(1)],
      ['2026-03-02T06:00:02Z', triggerFailure(1, 1, 'PERMANENT')],
    ]).events
    for (const history of [completed, failed, gaveUp]) {
      given(history).when(scheduleSla, context('2026-03-02T07:30:00Z', daily)).thenNothing()
    }
  })

  it('TestWatchdog_ScheduleSLAAlerts_CalendarExcluded_Skips (C7): an excluded period gets no SLA', () => {
    const excluded = withSla(
      { deadline: '09:00' },
      {
        schedule: {
          trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
          exclude: { weekends: true },
        },
      },
    )
    given([]).when(scheduleSla, context('2026-03-02T00:30:00Z', excluded)).thenNothing()
  })

  it('§5.6 step 6: a breach already past when first scanned schedules nothing (no reconciliation alert)', () => {
    given([]).when(scheduleSla, context('2026-03-02T09:30:00Z', daily)).thenNothing()
  })

  it('TestWatchdog_ScheduleSLAAlerts_InvalidSLAConfig_Continues (C3 overrules): a bad deadline never reaches a decider, it is refused at registration', () => {
    expect(() => config({ sla: { deadline: '25:00' } as never })).toThrow(/is not a deadline/)
  })
})

describe('SLA timers firing (§6.4, L5)', () => {
  it('TestSLAMonitor_FireAlert_FiresWhenNoTrigger / TestFireAlert_IncludesDetailInEvent / TestFireAlert_WarningNotStarted_ActionHint / TestFireAlert_DeadlineIncludedInDetail: before any run the warning says "not started — check sensor data"', () => {
    given(scheduled)
      .when(fire('warning'), context('2026-03-02T08:30:00Z', daily))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          {
            type: 'SLA_WARNING',
            severity: 'warning',
            alert: true,
            message: 'pipeline gold-revenue: SLA_WARNING',
            detail: {
              status: 'not started',
              source: 'schedule',
              actionHint: 'pipeline not started — check sensor data',
              breachAt: '2026-03-02T09:00:00.000Z',
              deadline: '09:00',
            },
          },
        ]),
      )
  })

  it('TestFireAlert_BreachNotStarted_DetailHint / _InvestigateTrigger / TestE2E_SLAMonitoring/SLABreachFired: a breach before any run says "investigate trigger"', () => {
    given(scheduled)
      .when(fire('breach'), context('2026-03-02T09:00:00Z', daily))
      .thenEvents((events) =>
        expect(published(events)[0]).toMatchObject({
          type: 'SLA_BREACH',
          severity: 'critical',
          detail: { status: 'not started', actionHint: 'pipeline not started — investigate trigger' },
        }),
      )
  })

  it('TestSLAMonitor_FireAlert_FiresWhenRunning / TestFireAlert_RunningStatus_DetailHint: a breach while running fires with status RUNNING', () => {
    given(triggeredRun(daily))
      .when(fire('breach'), context('2026-03-02T09:00:00Z', daily))
      .thenEvents((events) =>
        expect(published(events)[0]).toMatchObject({
          type: 'SLA_BREACH',
          detail: { status: 'RUNNING', actionHint: 'pipeline running — may complete before breach' },
        }),
      )
  })

  it('TestSLAMonitor_FireAlert_SuppressedWhenFailedFinal / _JoblogFail_Suppressed / _JoblogTimeout_Suppressed: a failed run raises nothing', () => {
    for (const outcome of ['fail', 'timeout'] as const) {
      const failed = play(
        [['2026-03-02T07:00:00Z', completion(outcome), noRetries]],
        triggeredRun(noRetries),
      ).events
      given(failed).when(fire('breach'), context('2026-03-02T09:00:00Z', noRetries)).thenNothing()
      given(failed).when(fire('warning'), context('2026-03-02T08:30:00Z', noRetries)).thenNothing()
    }
  })

  it('TestSLAMonitor_FireAlert_SuppressedByJoblogNoTrigger: a period whose trigger gave up (lock released, terminal job log) raises nothing', () => {
    const gaveUp = play([
      ['2026-03-02T06:00:00Z', ready(), daily],
      ['2026-03-02T06:00:01Z', evaluate(1), daily],
      ['2026-03-02T06:00:02Z', triggerFailure(1, 1, 'PERMANENT'), daily],
    ]).events
    given(gaveUp).when(fire('breach'), context('2026-03-02T09:00:00Z', daily)).thenNothing()
  })

  it('TestSLAMonitor_FireAlert_JoblogValidationExhausted_Suppressed (L2): validation exhausted is an outcome', () => {
    const strict = withSla(
      { deadline: '09:00', expectedDuration: '30m' },
      { validation: { trigger: 'ALL', rules: [{ key: 'row-count', check: 'exists' }] } },
    )
    const ticks = Array.from(
      { length: 13 },
      (_, index) =>
        [
          `2026-03-02T06:${String(Math.min(index * 5, 59)).padStart(2, '0')}:00Z`,
          evaluate(index + 1),
          strict,
        ] as const,
    )
    const exhausted = play([['2026-03-02T06:00:00Z', ready(), strict], ...ticks]).events
    expect(ofType(exhausted, 'ValidationExhausted')).toHaveLength(1)
    given(exhausted).when(fire('breach'), context('2026-03-02T09:00:00Z', strict)).thenNothing()
  })

  it('TestSLAMonitor_FireAlert_NotSuppressedByInfraFailure: a failed trigger try is not an outcome; the breach fires', () => {
    const backingOff = play([
      ['2026-03-02T06:00:00Z', ready(), daily],
      ['2026-03-02T06:00:01Z', evaluate(1), daily],
      ['2026-03-02T08:59:00Z', triggerFailure(1, 1), daily],
    ]).events
    given(backingOff)
      .when(fire('breach'), context('2026-03-02T09:00:00Z', daily))
      .thenEvents((events) => expect(tags(events)).toEqual(['SlaBreachRaised']))
  })

  it('TestSLAMonitor_FireAlert_JoblogRerunAccepted_NotSuppressed: after an accepted rerun (attempt live) the breach fires', () => {
    const rerunning = play(
      [
        ['2026-03-02T07:00:00Z', completion('fail'), noRetries],
        ['2026-03-02T07:30:00Z', rerun('r-1'), noRetries],
      ],
      triggeredRun(noRetries),
    ).events
    expect(ofType(rerunning, 'RerunAccepted')).toHaveLength(1)
    given(rerunning)
      .when(fire('breach'), context('2026-03-02T09:00:00Z', noRetries))
      .thenEvents((events) => expect(ofType(events, 'SlaBreachRaised')[0]?.status).toBe('RUNNING'))
  })

  it('TestSLAMonitor_FireAlert_RelativeSLAWarning / _RelativeSLABreach / TestFireAlert_NoDeadlineNoBreachAt_OmittedFromDetail: relative timers raise RELATIVE_SLA_* without a deadline line', () => {
    const relative = withSla({ maxDuration: '4h' })
    const started = play([['2026-03-02T10:00:00Z', ready(), relative]]).events
    const warned = play([['2026-03-02T13:00:00Z', fire('warning', 'relative'), relative]], started).events
    expect(published(warned.slice(started.length))).toEqual([
      expect.objectContaining({
        type: 'RELATIVE_SLA_WARNING',
        message: 'pipeline gold-revenue: RELATIVE_SLA_WARNING',
      }),
    ])
    expect(published(warned.slice(started.length))[0]?.detail).not.toHaveProperty('deadline')
    given(warned)
      .when(fire('breach', 'relative'), context('2026-03-02T14:00:00Z', relative))
      .thenEvents((events) =>
        expect(published(events)).toEqual([expect.objectContaining({ type: 'RELATIVE_SLA_BREACH' })]),
      )
  })

  it('fires an early timer again at its instant, raising nothing yet', () => {
    given(scheduled)
      .when(fire('breach'), context('2026-03-02T08:00:00Z', daily))
      .thenEvents((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            _tag: 'TimerRequested',
            timerId: 'sla/absolute/breach',
            fireAt: '2026-03-02T09:00:00.000Z',
          }),
        ]),
      )
  })
})

describe('SLA verdicts (§6.3 under L4 / D6)', () => {
  it('TestSLAMonitor_Cancel_PastWarningFutureBreach / TestE2E_SLABranchCompleteness/SLACancelPastWarningBeforeBreach: success after the warning but before breach is SLA_MET', () => {
    given(triggeredRun(daily))
      .when(completion('success'), context('2026-03-02T08:45:00Z', daily))
      .thenEvents((events) =>
        expect(published(events).map((event) => event.type)).toEqual(['JOB_COMPLETED', 'SLA_MET']),
      )
  })

  it('TestSLAMonitor_Cancel_PastBreach: success at or after the stored breach is SLA_BREACH', () => {
    given(triggeredRun(daily))
      .when(completion('success'), context('2026-03-02T09:00:00Z', daily))
      .thenEvents((events) => expect(ofType(events, 'SlaVerdictReached')[0]?.verdict).toBe('breached'))
  })

  it('TestSLAMonitor_Cancel_RecalculatesWhenTimesNotProvided (overruled by L4/D6): the verdict uses the stored breach, not a deadline changed later', () => {
    const moved = withSla({ deadline: '06:00', expectedDuration: '30m' })
    given(triggeredRun(daily))
      .when(completion('success'), context('2026-03-02T07:00:00Z', moved))
      .thenEvents((events) =>
        expect(ofType(events, 'SlaVerdictReached')).toEqual([
          expect.objectContaining({ verdict: 'met', breachAt: '2026-03-02T09:00:00.000Z' }),
        ]),
      )
  })

  it('TestSLAMonitor_Cancel_NeverTriggered_PublishesMet (BUG-5, L4): a period that never ran never gets SLA_MET, only its alerts', () => {
    const { events } = play(
      [
        ['2026-03-02T08:30:00Z', fire('warning'), daily],
        ['2026-03-02T09:00:00Z', fire('breach'), daily],
        ['2026-03-02T12:00:00Z', { _tag: 'CheckStaleRun' }, daily],
      ],
      scheduled,
    )
    expect(ofType(events, 'SlaVerdictReached')).toEqual([])
  })

  it('TestSLAMonitor_Cancel_EmptyTimesNoDeadline (L4): without an SLA there is no verdict', () => {
    given(triggeredRun())
      .when(completion('success'), context('2026-03-02T07:00:00Z'))
      .thenEvents((events) => expect(ofType(events, 'SlaVerdictReached')).toEqual([]))
  })

  it('L4: a failure after the breach instant is SLA_BREACH (no SLA_MET for a failed run)', () => {
    given(triggeredRun(noRetries))
      .when(completion('fail'), context('2026-03-02T09:30:00Z', noRetries))
      .thenEvents((events) =>
        expect(ofType(events, 'SlaVerdictReached')).toEqual([
          expect.objectContaining({ verdict: 'breached' }),
        ]),
      )
  })

  it('L9: a breach already raised by its alert is not published again by the verdict', () => {
    const raised = play([['2026-03-02T09:00:00Z', fire('breach'), daily]], triggeredRun(daily)).events
    expect(published(ofType(raised, 'SlaBreachRaised')).map((event) => event.type)).toEqual(['SLA_BREACH'])
    given(raised)
      .when(completion('success'), context('2026-03-02T09:30:00Z', daily))
      .thenEvents((events) => {
        expect(ofType(events, 'SlaVerdictReached')).toEqual([
          expect.objectContaining({ verdict: 'breached', breachAnnounced: true }),
        ])
        expect(published(events).map((event) => event.type)).toEqual(['JOB_COMPLETED'])
      })
  })

  it('L9: a breach first known at the verdict is published once, as SLA_BREACH', () => {
    given(triggeredRun(daily))
      .when(completion('success'), context('2026-03-02T09:30:00Z', daily))
      .thenEvents((events) => {
        expect(ofType(events, 'SlaVerdictReached')[0]).not.toHaveProperty('breachAnnounced')
        expect(published(events).map((event) => event.type)).toEqual(['JOB_COMPLETED', 'SLA_BREACH'])
      })
  })

  it('TestE2E_SLAMonitoring/SLAMet / TestE2E_PrimarySFNPaths/HappyPath: VALIDATION_PASSED, JOB_TRIGGERED, JOB_COMPLETED, SLA_MET', () => {
    const { events } = play([['2026-03-02T07:00:00Z', completion('success'), daily]], triggeredRun(daily))
    expect(published(events).map((event) => event.type)).toEqual([
      'VALIDATION_PASSED',
      'JOB_TRIGGERED',
      'JOB_COMPLETED',
      'SLA_MET',
    ])
  })
})

describe('SLA reconciliation after a lost timer (§6.5, by the watchdog’s ScheduleSla)', () => {
  it('TestSLAMonitor_Reconcile_SLAMet: before the warning nothing is raised', () => {
    given(scheduled).when(scheduleSla, context('2026-03-02T08:00:00Z', daily)).thenNothing()
  })

  it('TestSLAMonitor_Reconcile_PastWarningFutureBreach / TestReconcile_IncludesDetailInEvent: between warning and breach, one SLA_WARNING from the watchdog', () => {
    given(scheduled)
      .when(scheduleSla, context('2026-03-02T08:40:00Z', daily))
      .thenEvents((events) =>
        expect(published(events)).toEqual([
          expect.objectContaining({
            type: 'SLA_WARNING',
            detail: expect.objectContaining({ source: 'watchdog' }),
          }),
        ]),
      )
  })

  it('TestSLAMonitor_Reconcile_Breach: past the breach, exactly one SLA_BREACH and no warning; never twice (L5)', () => {
    const breached = play([['2026-03-02T09:10:00Z', scheduleSla, daily]], scheduled).events
    expect(published(breached.slice(scheduled.length)).map((event) => event.type)).toEqual(['SLA_BREACH'])
    given(breached).when(scheduleSla, context('2026-03-02T09:15:00Z', daily)).thenNothing()
    given(breached).when(fire('breach'), context('2026-03-02T09:16:00Z', daily)).thenNothing()
    given(breached).when(fire('warning'), context('2026-03-02T09:16:00Z', daily)).thenNothing()
  })
})
