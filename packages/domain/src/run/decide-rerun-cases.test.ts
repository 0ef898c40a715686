import { describe, expect, it } from 'vitest'
import type { RunContext } from './context.ts'
import { publicEventOf } from './public-events.ts'
import {
  attempt,
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
  triggerFailure,
} from './testing/run-builders.ts'

// Lifecycle spec §11.9 and the rerun scenarios of §11.18: budgets, the circuit breaker and the ledger.

const withJob = (job: Record<string, unknown>): Partial<RunContext> => ({
  config: config({ job: { type: 'command', config: { command: 'run-etl' }, ...job } as never }),
})
const noRetries = withJob({ maxRetries: 0 })
const failedWith = (outcome: 'fail' | 'timeout') =>
  play([['2026-03-02T07:00:00Z', completion(outcome), noRetries]], triggeredRun(noRetries)).events
const accepted = (events: ReadonlyArray<Parameters<typeof publicEventOf>[0]>) =>
  ofType(events, 'RerunAccepted')

describe('run, rerun requests by latest outcome (§3.2 R9)', () => {
  it('TestRerun_TimeoutJob_Allowed: after a timeout the rerun is accepted without the breaker', () => {
    given(failedWith('timeout'))
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z'))
      .thenEvents((events) =>
        expect(accepted(events)[0]?.circuitBreaker).toBe('skipped (latest outcome not success)'),
      )
  })

  it('TestStreamRouter_RerunRequest_InfraExhausted_Allowed: after the trigger gave up (lock released) the period can still be rerun', () => {
    const gaveUp = play([
      ['2026-03-02T06:00:00Z', ready()],
      ['2026-03-02T06:00:01Z', evaluate(1)],
      ['2026-03-02T06:00:02Z', triggerFailure(1, 1, 'PERMANENT')],
    ]).events
    given(gaveUp)
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z'))
      .thenEvents((events) => {
        expect(accepted(events)).toEqual([expect.objectContaining({ attemptId: attempt(2) })])
        expect(ofType(events, 'AttemptStarted')[0]).toMatchObject({ cause: 'rerun', rerunReason: 'manual' })
      })
  })

  it('TestRerun_UnknownJobEvent_Allowed: any latest entry other than success (here validation-exhausted) skips the breaker', () => {
    const strict = {
      config: config({ validation: { trigger: 'ALL', rules: [{ key: 'row-count', check: 'exists' }] } }),
    }
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
    given(exhausted)
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z', strict))
      .thenEvents((events) => expect(accepted(events)).toHaveLength(1))
  })

  it('TestRerun_NoJobRecord_Allowed / TestRerunRequest_AtomicLockReset (L1): a rerun of a live attempt with no job history supersedes it; the period stays locked', () => {
    const live = play([['2026-03-02T06:00:00Z', ready()]]).events
    given(live)
      .when(rerun('r-1'), context('2026-03-02T06:02:00Z'))
      .thenEvents((events) => {
        expect(tags(events)).toEqual([
          'RerunAccepted',
          'AttemptSuperseded',
          'AttemptStarted',
          'TimerRequested',
        ])
        expect(accepted(events)[0]?.circuitBreaker).toBe('skipped (no job history)')
      })
    given(live)
      .when(rerun('r-1'), context('2026-03-02T06:02:00Z'))
      .thenState((state) =>
        expect(state.lifecycle).toMatchObject({ status: 'Evaluating', attempt: { attemptId: attempt(2) } }),
      )
  })

  it('TestRerun_WritesRerunBeforeLockRelease: an accepted rerun is in the ledger with its reason and number', () => {
    given(failedWith('fail'))
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z'))
      .thenState((state) => {
        expect(state.reruns).toEqual([expect.objectContaining({ reason: 'manual', attemptId: attempt(2) })])
        expect(state.latestJobLog?.entry).toBe('rerun-accepted')
      })
  })

  it('TestRerunRequest_LockResetFails_PublishesInfraFailure: a period that never ran gets exactly one INFRA_FAILURE and no RERUN_ACCEPTED', () => {
    given([])
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z'))
      .thenEvents((events) =>
        expect(events.map((event) => publicEventOf(event, RUN))).toEqual([
          expect.objectContaining({
            type: 'INFRA_FAILURE',
            message: 'lock reset failed for rerun of gold-revenue',
          }),
        ]),
      )
  })

  it('TestE2E_RerunAfterTriggerTTLExpiry/TriggerExists_ManualRerunSucceeds: a period with a run reruns', () => {
    given(failedWith('fail'))
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z'))
      .thenEvents((events) => expect(ofType(events, 'AttemptStarted')).toHaveLength(1))
  })
})

describe('run, rerun of an excluded period (§3.2 R4, C7)', () => {
  it('TestRerunRequest_CalendarExclusion_WritesJobEvent / TestRerunRequest_WeekendExclusion: the refusal is in the job log as rerun-rejected; no ledger entry', () => {
    const weekends = {
      config: config({
        schedule: {
          trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
          exclude: { weekends: true },
        },
      }),
    }
    given(failedWith('fail'))
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z', weekends))
      .thenState((state) => {
        expect(state.latestJobLog?.entry).toBe('rerun-rejected')
        expect(state.reruns).toEqual([])
      })
  })
})

describe('run, the circuit breaker (§3.3)', () => {
  it('TestSensorFreshness_NoUpdatedAtField: no sensor carries updatedAt → the breaker cannot prove "unchanged" and passes', () => {
    given(succeededRun())
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
      .thenEvents((events) => expect(accepted(events)[0]?.circuitBreaker).toBe('passed'))
  })

  it('TestSensorFreshness_NoSensors: a cron-started run with no sensors at all passes the breaker', () => {
    const cron = {
      config: config({ schedule: { cron: '0 6 * * *' }, validation: { trigger: 'ALL', rules: [] } }),
    }
    const done = play([
      ['2026-03-01T06:00:00Z', { _tag: 'FireCron', firedAt: '2026-03-01T06:00:00.000Z' as never }, cron],
      ['2026-03-01T06:00:01Z', evaluate(1), cron],
      ['2026-03-01T06:00:02Z', { ...jobStarted(), synchronous: true } as ReturnType<typeof jobStarted>, cron],
    ]).events
    expect(ofType(done, 'JobSucceeded')).toHaveLength(1)
    given(done)
      .when(rerun('r-1'), context('2026-03-01T09:00:00Z', cron))
      .thenEvents((events) => expect(accepted(events)[0]?.circuitBreaker).toBe('passed'))
  })

  it('TestSensorFreshness_FreshSensor_String / TestSensorFreshness_FreshSensor_Float: a newer updatedAt as a numeric string or a number passes', () => {
    for (const updatedAt of ['1772442000000', 1_772_442_000_000]) {
      const changed = play(
        [['2026-03-02T08:00:00Z', sensor('row-count', { n: 2, updatedAt })]],
        succeededRun(),
      ).events
      given(changed)
        .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
        .thenEvents((events) => expect(accepted(events)[0]?.circuitBreaker).toBe('passed'))
    }
  })

  it('TestSensorFreshness_StaleSensor_Float: an older updatedAt (ms) rejects with RERUN_REJECTED and the job log says rerun-rejected', () => {
    const stale = play(
      [['2026-03-02T08:00:00Z', sensor('row-count', { n: 2, updatedAt: 1_772_400_000_000 })]],
      succeededRun(),
    ).events
    given(stale)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
      .thenEvents((events) =>
        expect(events.map((event) => publicEventOf(event, RUN)?.message)).toEqual([
          'rerun rejected for gold-revenue: previous run succeeded and no sensor data has changed',
        ]),
      )
    given(stale)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
      .thenState((state) => expect(state.latestJobLog?.entry).toBe('rerun-rejected'))
  })
})

describe('run, rerun budgets (§3.2 R6–R8, §3.6)', () => {
  it('TestRerun_DriftUnderLimit: a data-drift request within budget starts a data-drift rerun', () => {
    given(failedWith('fail'))
      .when(rerun('r-1', 'data-drift'), context('2026-03-02T08:00:00Z'))
      .thenEvents((events) => expect(ofType(events, 'AttemptStarted')[0]?.rerunReason).toBe('data-drift'))
  })

  it('TestRerun_DriftLimitExceeded / TestE2E_RerunLimits/DriftRerunLimitExceeded: the second drift rerun is rejected (drift rerun limit exceeded)', () => {
    const once = play([['2026-03-02T08:00:00Z', rerun('r-1', 'data-drift')]], failedWith('fail')).events
    given(once)
      .when(rerun('r-2', 'data-drift'), context('2026-03-02T08:30:00Z'))
      .thenEvents((events) =>
        expect(events.map((event) => publicEventOf(event, RUN)?.message)).toEqual([
          'rerun rejected for gold-revenue: drift rerun limit exceeded',
        ]),
      )
  })

  it('TestE2E_RerunLimits/LateDataCountedAsDrift: a late-data request is blocked by an earlier data-drift rerun', () => {
    const once = play([['2026-03-02T08:00:00Z', rerun('r-1', 'data-drift')]], failedWith('fail')).events
    given(once)
      .when(rerun('r-2', 'late-data'), context('2026-03-02T08:30:00Z'))
      .thenEvents((events) =>
        expect(ofType(events, 'RerunRejected')[0]?.rule).toBe('drift rerun limit exceeded'),
      )
  })

  it('TestE2E_RerunBudgetSeparation/ExhaustDriftThenManualStillWorks: drift 1 ok, 2nd rejected; manual 1 and 2 ok (budget 2), 3rd rejected', () => {
    const budgets = withJob({ maxRetries: 0, maxManualReruns: 2 })
    const { events } = play(
      [
        ['2026-03-02T08:00:00Z', rerun('d-1', 'data-drift'), budgets],
        ['2026-03-02T08:01:00Z', rerun('d-2', 'data-drift'), budgets],
        ['2026-03-02T08:02:00Z', rerun('m-1'), budgets],
        ['2026-03-02T08:03:00Z', rerun('m-2'), budgets],
        ['2026-03-02T08:04:00Z', rerun('m-3'), budgets],
      ],
      play([['2026-03-02T07:00:00Z', completion('fail'), budgets]], triggeredRun(budgets)).events,
    )
    const decisions = events
      .filter((event) => event._tag === 'RerunAccepted' || event._tag === 'RerunRejected')
      .map((event) => `${'requestId' in event ? event.requestId : ''}:${event._tag}`)
    expect(decisions).toEqual([
      'd-1:RerunAccepted',
      'd-2:RerunRejected',
      'm-1:RerunAccepted',
      'm-2:RerunAccepted',
      'm-3:RerunRejected',
    ])
  })

  it('§11.21 rerun ledger: rerun numbers count every earlier rerun of the period, from 0', () => {
    const budgets = withJob({ maxRetries: 0, maxManualReruns: 3 })
    const { events } = play(
      [
        ['2026-03-02T08:00:00Z', rerun('m-1'), budgets],
        ['2026-03-02T08:01:00Z', rerun('d-1', 'data-drift'), budgets],
        ['2026-03-02T08:02:00Z', rerun('b-1', 'backfill'), budgets],
      ],
      play([['2026-03-02T07:00:00Z', completion('fail'), budgets]], triggeredRun(budgets)).events,
    )
    expect(accepted(events).map((event) => event.rerunNumber)).toEqual([0, 1, 2])
  })
})

describe('run, rerun scenarios end to end (§11.18)', () => {
  it('TestE2E_RerunReplay/RerunAccepted: completed, old success, fresh sensor → a new attempt; job log rerun-accepted', () => {
    const fresh = play(
      [['2026-03-02T08:00:00Z', sensor('row-count', { n: 2, updatedAt: '2026-03-02T07:30:00Z' })]],
      succeededRun(),
    ).events
    given(fresh)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
      .thenState((state) => {
        expect(state.lifecycle.status).toBe('Evaluating')
        expect(state.latestJobLog?.entry).toBe('rerun-accepted')
      })
  })

  it('TestE2E_StreamRouterEntryPoints/RerunAfterFailure: failed run + old sensors → accepted without freshness check', () => {
    const old = play(
      [['2026-03-02T06:30:00Z', sensor('row-count', { n: 2, updatedAt: '2026-03-01T00:00:00Z' })]],
      failedWith('fail'),
    ).events
    given(old)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
      .thenEvents((events) => expect(accepted(events)).toHaveLength(1))
  })

  it('TestE2E_DriftRetrigger/DriftRetriggerSuccess / DriftRetriggerJobFails / DriftRetriggerInfraFailure: the drift rerun attempt runs whatever its outcome', () => {
    const postRun = {
      config: config({
        postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
        job: { type: 'command', config: { command: 'x' }, maxRetries: 0 } as never,
      }),
    }
    const drifted = play(
      [
        ['2026-03-02T05:00:00Z', sensor('output-rows', { sensor_count: 100 }), postRun],
        ['2026-03-02T07:00:00Z', completion('success'), postRun],
        ['2026-03-02T08:00:00Z', sensor('output-rows', { sensor_count: 120 }), postRun],
        ['2026-03-02T08:00:01Z', evaluate(1, 2), postRun],
      ],
      triggeredRun(postRun),
    ).events
    expect(ofType(drifted, 'AttemptStarted').at(-1)).toMatchObject({
      attemptId: attempt(2),
      rerunReason: 'data-drift',
    })
    const outcomes = [
      [jobStarted(2, 1, 'jr-2'), completion('success', 2), 'Completed'],
      [jobStarted(2, 1, 'jr-2'), completion('fail', 2), 'Failed'],
    ] as const
    for (const [started, outcome, status] of outcomes) {
      const { state } = play(
        [
          ['2026-03-02T08:00:02Z', started, postRun],
          ['2026-03-02T08:30:00Z', outcome, postRun],
        ],
        drifted,
      )
      expect(state.lifecycle.status).toBe(status)
    }
    const { state } = play([['2026-03-02T08:00:02Z', triggerFailure(2, 1, 'PERMANENT'), postRun]], drifted)
    expect(state.latestJobLog?.entry).toBe('infra-trigger-exhausted')
  })
})
