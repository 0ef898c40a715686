import { describe, expect, it } from 'vitest'
import type { RunContext } from './context.ts'
import {
  attempt,
  completion,
  config,
  context,
  given,
  ofType,
  play,
  ready,
  rerun,
  sensor,
  succeededRun,
  tags,
  triggeredRun,
} from './testing/run-builders.ts'

const FAIL_AT = '2026-03-02T07:00:00Z'
const withJob = (job: Record<string, unknown>): Partial<RunContext> => ({
  config: config({ job: { type: 'command', config: { command: 'run-etl' }, ...job } as never }),
})

describe('run, after a job failure (lifecycle §1.8, L3)', () => {
  it('TestStreamRouter_JobFail_UnderRetryLimit_Reruns: retries with a new attempt and publishes nothing public', () => {
    given(triggeredRun())
      .when(completion('fail'), context(FAIL_AT))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['JobFailed', 'RetryGranted', 'AttemptStarted', 'TimerRequested'])
        expect(ofType(events, 'AttemptStarted')[0]).toMatchObject({
          attemptId: attempt(2),
          cause: 'job-retry',
        })
        expect(ofType(events, 'RetryGranted')[0]).toMatchObject({
          failedAttemptId: attempt(1),
          retryNumber: 1,
          budget: 2,
        })
      })
  })

  it('TestStreamRouter_JobTimeout_TreatedAsFailure: a timeout is retried too', () => {
    given(triggeredRun())
      .when(completion('timeout'), context(FAIL_AT))
      .thenEvents((events) => expect(ofType(events, 'RetryGranted')).toHaveLength(1))
  })

  it('TestStreamRouter_JobFail_OverRetryLimit_Alerts: with the budget spent the run fails for good (RETRY_EXHAUSTED)', () => {
    const noRetries = withJob({ maxRetries: 0 })
    given(triggeredRun(noRetries))
      .when(completion('fail'), context(FAIL_AT, noRetries))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['JobFailed', 'RetryBudgetExhausted'])
        expect(ofType(events, 'RetryBudgetExhausted')[0]).toMatchObject({ retries: 0, budget: 0 })
      })
  })

  it('TestStreamRouter_JobFail_PermanentUsesCodeRetries: PERMANENT spends maxCodeRetries', () => {
    const codeZero = withJob({ maxRetries: 3, maxCodeRetries: 0 })
    given(triggeredRun(codeZero))
      .when(completion('fail', 1, 'PERMANENT'), context(FAIL_AT, codeZero))
      .thenEvents((events) => expect(tags(events)).toEqual(['JobFailed', 'RetryBudgetExhausted']))
  })

  it('TestStreamRouter_JobFail_TransientUsesMaxRetries / EmptyCategoryUsesMaxRetries: others spend maxRetries', () => {
    const codeZero = withJob({ maxRetries: 3, maxCodeRetries: 0 })
    for (const category of ['TRANSIENT', undefined] as const) {
      given(triggeredRun(codeZero))
        .when(completion('fail', 1, category), context(FAIL_AT, codeZero))
        .thenEvents((events) => expect(ofType(events, 'RetryGranted')).toHaveLength(1))
    }
  })

  it('TestE2E_FailureClassification/PermanentFailureOneRetry: C12 defaults give a PERMANENT failure one retry, then exhaustion', () => {
    const defaults = withJob({})
    const { events } = play(
      [
        [FAIL_AT, completion('fail', 1, 'PERMANENT'), defaults],
        [
          '2026-03-02T07:00:01Z',
          { _tag: 'EvaluateRun', attemptId: attempt(2), evaluationNumber: 1 },
          defaults,
        ],
        [
          '2026-03-02T07:00:02Z',
          {
            _tag: 'RecordJobStarted',
            attemptId: attempt(2),
            triggerTry: 1,
            jobType: 'command',
            runId: 'r2',
            metadata: {},
            synchronous: false,
          },
          defaults,
        ],
        ['2026-03-02T07:10:00Z', completion('fail', 2, 'PERMANENT'), defaults],
      ],
      triggeredRun(defaults),
    )
    expect(ofType(events, 'RetryGranted')).toHaveLength(1)
    expect(ofType(events, 'RetryBudgetExhausted')).toEqual([
      expect.objectContaining({ retries: 1, budget: 1 }),
    ])
  })

  it('TestJobFailure_CalendarExclusion: on an excluded period the failure is not retried (PIPELINE_EXCLUDED)', () => {
    const excluded = {
      config: config({
        schedule: {
          trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
          exclude: { dates: ['2026-03-01'] },
        },
      }),
    }
    // The run started before the exclusion was configured.
    given(triggeredRun())
      .when(completion('fail'), context(FAIL_AT, excluded))
      .thenEvents((events) => expect(tags(events)).toEqual(['JobFailed', 'RetryBlockedByCalendar']))
  })

  it('TestJobFailure_CalendarExclusion_RetryLimitBeatsExclusion: the budget is checked before the calendar', () => {
    const excludedNoRetries = {
      config: config({
        schedule: {
          trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
          exclude: { dates: ['2026-03-01'] },
        },
        job: { type: 'command', config: { command: 'x' }, maxRetries: 0 } as never,
      }),
    }
    given(triggeredRun())
      .when(completion('fail'), context(FAIL_AT, excludedNoRetries))
      .thenEvents((events) => expect(tags(events)[1]).toBe('RetryBudgetExhausted'))
  })

  it('TestStreamRouter_JobFail_DriftRerunsIgnored: drift and manual reruns do not spend the failure budget', () => {
    const oneRetry = withJob({ maxRetries: 1, maxManualReruns: 3 })
    const afterReruns = play(
      [
        [FAIL_AT, completion('success'), oneRetry],
        [
          '2026-03-02T08:00:00Z',
          sensor('upstream-complete', { status: 'ready', updatedAt: '2026-03-02T07:59:00Z' }),
          oneRetry,
        ],
        ['2026-03-02T08:00:01Z', rerun('r-1', 'backfill'), oneRetry],
      ],
      triggeredRun(oneRetry),
    ).events
    expect(ofType(afterReruns, 'RerunAccepted').map((event) => event.reason)).toEqual([
      'late-data',
      'backfill',
    ])
    given(afterReruns)
      .when(
        {
          _tag: 'RecordJobStarted',
          attemptId: attempt(3),
          triggerTry: 1,
          jobType: 'command',
          runId: 'r3',
          metadata: {},
          synchronous: false,
        },
        context('2026-03-02T08:01:00Z', oneRetry),
      )
      .thenNothing()
  })

  it('records the outcome of a superseded attempt but changes nothing (L1)', () => {
    const superseded = play([['2026-03-02T06:30:00Z', rerun('r-1')]], triggeredRun()).events
    expect(tags(superseded).slice(-5)).toEqual([
      'RerunAccepted',
      'AttemptSuperseded',
      'JobCancelRequested',
      'AttemptStarted',
      'TimerRequested',
    ])
    given(superseded)
      .when(completion('success', 1), context('2026-03-02T06:40:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['StaleJobResultRecorded']))
  })
})

describe('run, rerun requests (lifecycle §3.2)', () => {
  const noRetries = withJob({ maxRetries: 0 })
  const failed = play([[FAIL_AT, completion('fail'), noRetries]], triggeredRun(noRetries)).events

  it('TestStreamRouter_RerunRequest_FailedJob_Allowed: a failed run reruns without the circuit breaker (RERUN_ACCEPTED)', () => {
    given(failed)
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z'))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RerunAccepted', 'AttemptStarted', 'TimerRequested'])
        expect(ofType(events, 'RerunAccepted')[0]).toMatchObject({
          reason: 'manual',
          rerunNumber: 0,
          used: 0,
          budget: 1,
          circuitBreaker: 'skipped (latest outcome not success)',
          attemptId: attempt(2),
        })
      })
  })

  it('TestRerun_ManualLimitExceeded: a second manual rerun is refused by its budget (RERUN_REJECTED)', () => {
    given(play([['2026-03-02T08:00:00Z', rerun('r-1')]], failed).events)
      .when(rerun('r-2'), context('2026-03-02T08:30:00Z'))
      .thenEvents((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            _tag: 'RerunRejected',
            rule: 'manual rerun limit exceeded',
            used: 1,
            budget: 1,
          }),
        ]),
      )
  })

  it('TestE2E_RerunBudgetSeparation: each manual reason has its own budget', () => {
    given(play([['2026-03-02T08:00:00Z', rerun('r-1')]], failed).events)
      .when(rerun('r-2', 'backfill'), context('2026-03-02T08:30:00Z'))
      .thenEvents((events) => expect(ofType(events, 'RerunAccepted')).toHaveLength(1))
  })

  it('TestRerun_LateDataCountsAsDrift: late-data and data-drift share one budget', () => {
    given(play([['2026-03-02T08:00:00Z', rerun('r-1', 'late-data')]], failed).events)
      .when(rerun('r-2', 'data-drift'), context('2026-03-02T08:30:00Z'))
      .thenEvents((events) =>
        expect(ofType(events, 'RerunRejected')[0]?.rule).toBe('drift rerun limit exceeded'),
      )
  })

  it('TestStreamRouter_RerunRequest_SuccessDataUnchanged_Rejected: the circuit breaker refuses a rerun of an unchanged success', () => {
    const completed = play([
      ['2026-03-02T05:00:00Z', sensor('row-count', { n: 1, updatedAt: 1_772_400_000_000 })],
      ['2026-03-02T06:00:01Z', ready()],
      ['2026-03-02T06:00:02Z', { _tag: 'EvaluateRun', attemptId: attempt(1), evaluationNumber: 1 }],
      [
        '2026-03-02T06:00:05Z',
        {
          _tag: 'RecordJobStarted',
          attemptId: attempt(1),
          triggerTry: 1,
          jobType: 'command',
          runId: 'r',
          metadata: {},
          synchronous: true,
        },
      ],
    ]).events
    given(completed)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
      .thenEvents((events) =>
        expect(events).toEqual([expect.objectContaining({ _tag: 'RerunRejected', rule: 'circuit breaker' })]),
      )
  })

  it('TestStreamRouter_RerunRequest_SuccessDataChanged_Allowed / SensorEpochSeconds_Normalized: a newer updatedAt (seconds too) passes the breaker', () => {
    const changed = play(
      [['2026-03-02T08:00:00Z', sensor('row-count', { n: 2, updatedAt: 1_772_438_400 })]],
      succeededRun(),
    ).events
    given(changed)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
      .thenEvents((events) => expect(ofType(events, 'RerunAccepted')[0]?.circuitBreaker).toBe('passed'))
  })

  it('TestE2E_RerunAfterTriggerTTLExpiry/TriggerDeleted_PublishesInfraFailure: a period that never ran cannot rerun (INFRA_FAILURE)', () => {
    given([])
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['RerunWithoutRun']))
  })

  it('TestRerunRequest_CalendarExclusion: an excluded period blocks the rerun (PIPELINE_EXCLUDED, no RERUN_REJECTED)', () => {
    const excluded = {
      config: config({
        schedule: {
          trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
          exclude: { weekends: true },
        },
      }),
    }
    given(failed)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z', excluded))
      .thenEvents((events) => expect(tags(events)).toEqual(['RerunBlockedByCalendar']))
  })

  it('TestRerun_DeletesPostrunBaseline: an accepted rerun clears the baseline', () => {
    const postRun = {
      config: config({
        postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
      }),
    }
    const withBaseline = play(
      [
        ['2026-03-02T05:00:00Z', sensor('output-rows', { sensor_count: 100 }), postRun],
        ['2026-03-02T07:00:00Z', completion('success'), postRun],
        [
          '2026-03-02T08:00:00Z',
          sensor('upstream-complete', { status: 'x', updatedAt: '2026-03-02T07:30:00Z' }),
          postRun,
        ],
      ],
      triggeredRun(postRun),
    ).events
    expect(ofType(withBaseline, 'PostRunBaselineCaptured')[0]?.baseline).toEqual({
      'output-rows': { sensor_count: 100 },
    })
    given(withBaseline)
      .when(rerun('r-1'), context('2026-03-02T09:00:00Z', postRun))
      .thenEvents((events) =>
        expect(tags(events).slice(0, 2)).toEqual(['PostRunBaselineCleared', 'RerunAccepted']),
      )
  })

  it('decides a repeated rerun request id only once', () => {
    const once = play([['2026-03-02T08:00:00Z', rerun('r-1')]], failed).events
    given(once).when(rerun('r-1'), context('2026-03-02T08:00:01Z')).thenNothing()
  })

  it('refuses rerun requests while the pipeline is paused', () => {
    given(failed)
      .when(rerun('r-1'), context('2026-03-02T08:00:00Z', { paused: true }))
      .thenRejects('PipelineIsPaused')
  })
})

describe('run, late data after success (lifecycle §3.4)', () => {
  it('TestStreamRouter_LateDataArrival_CompletedSuccess / WritesRerunRequest: LATE_DATA_ARRIVAL and a late-data rerun', () => {
    given(succeededRun())
      .when(ready(), context('2026-03-02T09:00:00Z'))
      .thenEvents((events) => {
        expect(tags(events).slice(0, 3)).toEqual([
          'SensorReadingRecorded',
          'LateDataArrived',
          'RerunAccepted',
        ])
        expect(ofType(events, 'RerunAccepted')[0]).toMatchObject({
          reason: 'late-data',
          circuitBreaker: 'skipped (latest outcome not success)',
        })
      })
  })

  it('TestStreamRouter_LateDataArrival_StillRunning_Silent: while running, a trigger sensor is silent', () => {
    given(triggeredRun())
      .when(ready(), context('2026-03-02T06:30:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestStreamRouter_LateDataArrival_CompletedFailed_Silent: after a failure, a trigger sensor is silent', () => {
    const noRetries = withJob({ maxRetries: 0 })
    given(play([[FAIL_AT, completion('fail'), noRetries]], triggeredRun(noRetries)).events)
      .when(ready(), context('2026-03-02T09:00:00Z', noRetries))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })
})
