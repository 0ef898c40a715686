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
  jobStatus,
  ofType,
  play,
  poll,
  RUN,
  ready,
  sensor,
  tags,
  triggeredRun,
  triggerFailure,
} from './testing/run-builders.ts'

// Lifecycle spec §11.1–11.4, §11.8 and the attempt paths of §11.18, as given / when / then on the run stream.

const T0 = '2026-03-02T06:00:00Z'
const withJob = (job: Record<string, unknown>): Partial<RunContext> => ({
  config: config({ job: { type: 'command', config: { command: 'run-etl' }, ...job } as never }),
})
const noRetries = withJob({ maxRetries: 0 })
const publicTypes = (events: ReadonlyArray<Parameters<typeof publicEventOf>[0]>) =>
  events.map((event) => publicEventOf(event, RUN)?.type).filter((type) => type !== undefined)

describe('run, evaluating (§11.1)', () => {
  it('TestRemapPerPeriod_CompactDate / TestOrchestrator_Evaluate_PerPeriodSensorKey (hourly): a compact per-hour key satisfies rules on its base key', () => {
    const hourly = config({
      validation: {
        trigger: 'ALL',
        rules: [
          { key: 'hourly-status', check: 'equals', field: 'ok', value: true },
          { key: 'hourly-status', check: 'gte', field: 'score', value: 0.7 },
        ],
      },
    })
    const run = { ...RUN, period: '2026-03-03T07' }
    const events = play([
      [T0, sensor('hourly-status#20260303T07', { ok: true, score: 0.7 }), { config: hourly, run }],
      [T0, sensor('upstream-complete#2026-03-03T07', { status: 'ready' }), { config: hourly, run }],
      [
        '2026-03-02T06:00:01Z',
        {
          _tag: 'EvaluateRun',
          attemptId: `${RUN.pipelineId}/default/2026-03-03T07/1` as never,
          evaluationNumber: 1,
        },
        { config: hourly, run },
      ],
    ]).events
    expect(ofType(events, 'RunEvaluated')[0]).toMatchObject({
      passed: true,
      sensorSnapshot: { 'hourly-status': { ok: true, score: 0.7 } },
    })
  })

  it('TestE2E_PrimarySFNPaths/ExtendedEvaluation: a sensor that appears before the 4th evaluation passes it; the job starts then', () => {
    const strict = {
      config: config({ validation: { trigger: 'ALL', rules: [{ key: 'row-count', check: 'exists' }] } }),
    }
    const { events } = play([
      [T0, ready(), strict],
      ['2026-03-02T06:00:00Z', evaluate(1), strict],
      ['2026-03-02T06:05:00Z', evaluate(2), strict],
      ['2026-03-02T06:10:00Z', evaluate(3), strict],
      ['2026-03-02T06:12:00Z', sensor('row-count', { n: 10 }), strict],
      ['2026-03-02T06:15:00Z', evaluate(4), strict],
    ])
    expect(ofType(events, 'RunEvaluated').map((event) => event.passed)).toEqual([false, false, false, true])
    expect(ofType(events, 'JobStartRequested')).toEqual([expect.objectContaining({ attemptId: attempt(1) })])
    expect(publicTypes(events)).toEqual(['VALIDATION_PASSED'])
  })

  it('TestOrchestrator_ValidationExhausted / _WritesJoblog: the exhausted attempt publishes VALIDATION_EXHAUSTED once and stays closed (L2)', () => {
    const strict = {
      config: config({ validation: { trigger: 'ALL', rules: [{ key: 'row-count', check: 'exists' }] } }),
    }
    const ticks = Array.from(
      { length: 13 },
      (_, index) =>
        [
          `2026-03-02T${index === 12 ? '07:00' : `06:${String(index * 5).padStart(2, '0')}`}:00Z`,
          evaluate(index + 1),
          strict,
        ] as const,
    )
    const { events, state } = play(ticks, play([[T0, ready(), strict]]).events)
    expect(publicTypes(events)).toEqual(['VALIDATION_EXHAUSTED'])
    expect(state.latestJobLog?.entry).toBe('validation-exhausted')
    given(events)
      .when(ready(), context('2026-03-02T07:30:00Z', strict))
      .thenEvents((after) => expect(tags(after)).toEqual(['SensorReadingRecorded']))
  })
})

describe('run, starting the job (§11.2, §11.4)', () => {
  const requested = play([
    [T0, ready()],
    ['2026-03-02T06:00:01Z', evaluate(1)],
  ]).events

  it('TestOrchestrator_TriggerExhausted_NoErrorInfo: a trigger that gives up without a cause still ends the attempt (RETRY_EXHAUSTED with an empty cause)', () => {
    given(requested)
      .when(
        { ...triggerFailure(1, 1, 'PERMANENT'), error: '' } as ReturnType<typeof triggerFailure>,
        context('2026-03-02T06:00:05Z'),
      )
      .thenEvents((events) => {
        const exhausted = ofType(events, 'TriggerRetriesExhausted')
        expect(exhausted).toEqual([expect.objectContaining({ lastError: '' })])
        expect(exhausted[0] && publicEventOf(exhausted[0], RUN)?.message).toBe(
          'trigger retries exhausted for gold-revenue: ',
        )
      })
  })

  it('TestJobLog_InfraExhaustedEvent: a trigger that gave up is not a job failure: no retry, no new attempt', () => {
    given(requested)
      .when(triggerFailure(1, 1, 'PERMANENT'), context('2026-03-02T06:00:05Z'))
      .thenEvents((events) => {
        expect(ofType(events, 'RetryGranted')).toEqual([])
        expect(ofType(events, 'AttemptStarted')).toEqual([])
      })
  })

  it('TestE2E_PrimarySFNPaths/TriggerInfraFailure: RETRY_EXHAUSTED, infra-trigger-exhausted, lock released (a sensor starts attempt 2)', () => {
    const { events, state } = play([['2026-03-02T06:00:05Z', triggerFailure(1, 1, 'PERMANENT')]], requested)
    expect(publicTypes(events.slice(requested.length))).toEqual(['RETRY_EXHAUSTED'])
    expect(state.latestJobLog?.entry).toBe('infra-trigger-exhausted')
    expect(state.lifecycle.status).toBe('Idle')
  })
})

describe('run, polling the job (§11.3)', () => {
  const asked = play([['2026-03-02T06:01:05Z', poll(1)]], triggeredRun()).events

  it('TestOrchestrator_CheckJob_NotFound / TestCheckJob_NilStatusCheckerAndNoMetadata: a poll tick asks the job service, nothing else', () => {
    given(triggeredRun())
      .when(poll(1), context('2026-03-02T06:01:05Z'))
      .thenEvents((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            _tag: 'JobStatusCheckRequested',
            attemptId: attempt(1),
            pollNumber: 1,
            runId: 'jr-12345',
            metadata: { runId: 'jr-12345' },
          }),
        ]),
      )
  })

  it('TestOrchestrator_CheckJob_PollsGlueFailed / TestE2E_PrimarySFNPaths/JobFailure: a failed status is JOB_FAILED and, with no retries, Failed', () => {
    const failing = play([['2026-03-02T06:01:05Z', poll(1), noRetries]], triggeredRun(noRetries)).events
    given(failing)
      .when(jobStatus(1, 'failed'), context('2026-03-02T06:01:06Z', noRetries))
      .thenEvents((events) => {
        expect(publicTypes(events)).toEqual(['JOB_FAILED', 'RETRY_EXHAUSTED'])
        expect(
          ofType(events, 'JobFailed')[0] && publicEventOf(ofType(events, 'JobFailed')[0]!, RUN)?.message,
        ).toBe('job failed: glue job FAILED')
      })
    given(failing)
      .when(jobStatus(1, 'failed'), context('2026-03-02T06:01:06Z', noRetries))
      .thenState((state) => expect(state.lifecycle).toMatchObject({ status: 'Failed', cause: 'job-failed' }))
  })

  it('TestCheckJob_FailedWithoutCategory: a failure without a category carries none', () => {
    given(asked)
      .when(jobStatus(1, 'failed'), context('2026-03-02T06:01:06Z'))
      .thenEvents((events) => expect(ofType(events, 'JobFailed')[0]).not.toHaveProperty('category'))
  })

  it('TestOrchestrator_CheckJob_Found / TestCheckJob_FailedJobEvent / TestCheckJob_TimeoutJobEvent: the job’s own outcome ends the polled attempt; later polls change nothing', () => {
    for (const [outcome, tag] of [
      ['success', 'JobSucceeded'],
      ['fail', 'JobFailed'],
      ['timeout', 'JobFailed'],
    ] as const) {
      const done = play(
        [['2026-03-02T06:00:30Z', completion(outcome), noRetries]],
        triggeredRun(noRetries),
      ).events
      expect(ofType(done, tag)).toHaveLength(1)
      if (tag === 'JobFailed') expect(ofType(done, 'JobFailed')[0]?.outcome).toBe(outcome)
      given(done).when(poll(1), context('2026-03-02T06:01:05Z', noRetries)).thenNothing()
    }
  })

  it('TestOrchestrator_CheckJob_SkipsInfraFailureEvent / TestE2E_CrossHandlerEdgeCases/CheckJobNonTerminalFallthrough: a failed trigger try before the job started does not end the polling (D1)', () => {
    const { events, state } = play([
      [T0, ready()],
      ['2026-03-02T06:00:01Z', evaluate(1)],
      ['2026-03-02T06:00:02Z', triggerFailure(1, 1)],
      ['2026-03-02T06:00:32Z', { _tag: 'RetryTrigger', attemptId: attempt(1), triggerTry: 2 }],
      ['2026-03-02T06:00:33Z', jobStarted(1, 2)],
      ['2026-03-02T06:01:33Z', poll(1)],
      ['2026-03-02T06:01:34Z', jobStatus(1, 'succeeded')],
    ])
    expect(tags(events)).toContain('JobStatusCheckRequested')
    expect(state.lifecycle.status).toBe('Completed')
    expect(publicTypes(events)).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED', 'JOB_COMPLETED'])
  })

  it('TestOrchestrator_JobPollExhausted_WritesJoblog: JOB_POLL_EXHAUSTED names the run id; the job log says job-poll-exhausted', () => {
    const short = withJob({ jobPollWindowSeconds: 60 })
    const { events, state } = play(
      [
        ['2026-03-02T06:01:05Z', poll(1), short],
        ['2026-03-02T06:01:06Z', jobStatus(1, 'running'), short],
      ],
      triggeredRun(short),
    )
    expect(ofType(events, 'JobPollExhausted')).toEqual([
      expect.objectContaining({ runId: 'jr-12345', polls: 1 }),
    ])
    expect(publicTypes(events.slice(-1))).toEqual(['JOB_POLL_EXHAUSTED'])
    expect(state.latestJobLog?.entry).toBe('job-poll-exhausted')
  })
})

describe('run, completing (§11.4)', () => {
  const postRun = (job: Record<string, unknown> = {}) => ({
    config: config({
      postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
      job: { type: 'command', config: { command: 'x' }, ...job } as never,
    }),
  })

  it('TestOrchestrator_CompleteTrigger_Success / _Fail / _Timeout: success completes the run, fail and timeout fail it for good (without retries)', () => {
    for (const [outcome, status] of [
      ['success', 'Completed'],
      ['fail', 'Failed'],
      ['timeout', 'Failed'],
    ] as const) {
      given(triggeredRun(noRetries))
        .when(completion(outcome), context('2026-03-02T07:00:00Z', noRetries))
        .thenState((state) => expect(state.lifecycle.status).toBe(status))
    }
  })

  it('TestCompleteTrigger_Fail_NoBaseline: a failed job captures no baseline', () => {
    const ctx = postRun({ maxRetries: 0 })
    given(play([[T0, sensor('output-rows', { sensor_count: 5 }), ctx]], triggeredRun(ctx)).events)
      .when(completion('fail'), context('2026-03-02T07:00:00Z', ctx))
      .thenEvents((events) => expect(ofType(events, 'PostRunBaselineCaptured')).toEqual([]))
  })

  it('TestCompleteTrigger_Success_NoPostRun_NoBaseline / _BaselineCaptureFailed_NoEvent_WhenNoPostRunConfig: without post-run rules nothing is captured', () => {
    given(play([[T0, sensor('output-rows', { sensor_count: 5 })]], triggeredRun()).events)
      .when(completion('success'), context('2026-03-02T07:00:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['JobSucceeded']))
  })

  it('TestCompleteTrigger_DateScopedBaseline: a per-period sensor of this period fills the rule’s slot', () => {
    const ctx = postRun()
    given(
      play(
        [
          [T0, sensor('output-rows#2026-03-01', { sensor_count: 42 }), ctx],
          [T0, sensor('output-rows#2026-02-28', { sensor_count: 7 }), ctx],
        ],
        triggeredRun(ctx),
      ).events,
    )
      .when(completion('success'), context('2026-03-02T07:00:00Z', ctx))
      .thenEvents((events) =>
        expect(ofType(events, 'PostRunBaselineCaptured')[0]?.baseline).toEqual({
          'output-rows': { sensor_count: 42 },
        }),
      )
  })

  it('TestStreamRouter_JobSuccess_PublishesEvent / TestJobSuccess_PublishesJobCompleted: success publishes JOB_COMPLETED once, no attempt', () => {
    given(triggeredRun())
      .when(completion('success'), context('2026-03-02T07:00:00Z'))
      .thenEvents((events) => {
        expect(ofType(events, 'AttemptStarted')).toEqual([])
        expect(events.map((event) => publicEventOf(event, RUN))).toEqual([
          expect.objectContaining({ type: 'JOB_COMPLETED', message: 'job completed for gold-revenue' }),
        ])
      })
  })

  it('TestE2E_PrimarySFNPaths/JobTimeout: a timeout with no retries left ends Failed, job log timeout', () => {
    given(triggeredRun(noRetries))
      .when(completion('timeout'), context('2026-03-02T07:00:00Z', noRetries))
      .thenState((state) => {
        expect(state.lifecycle.status).toBe('Failed')
        expect(state.latestJobLog?.entry).toBe('timeout')
      })
  })
})

describe('run, after a job failure (§11.8, §11.18)', () => {
  it('TestJobFailure_AtomicLockReset_Success: the retry keeps the period locked and moves it to attempt 2 (RUNNING), not Idle', () => {
    given(triggeredRun())
      .when(completion('fail'), context('2026-03-02T07:00:00Z'))
      .thenState((state) => {
        expect(state.lifecycle).toMatchObject({
          status: 'Evaluating',
          attempt: { attemptId: attempt(2), cause: 'job-retry', lockExpiresAt: '2026-03-02T11:30:00.000Z' },
        })
        expect(state.reruns).toEqual([
          expect.objectContaining({ reason: 'job-fail-retry', attemptId: attempt(1) }),
        ])
      })
  })

  it('TestJobFailure_LockResetFails_NoSFN (D4): a failure for an attempt this period never started is refused and starts nothing', () => {
    const rejection = given([])
      .when(completion('fail'), context('2026-03-02T07:00:00Z'))
      .thenRejects('AttemptNotFound')
    expect(rejection.message).toBe(
      'run-gold-revenue-default-2026-03-01 has no attempt gold-revenue/default/2026-03-01/1 (it has started 0); check the attempt id the job or trigger reported.',
    )
  })

  it('TestE2E_AutoRetries/JobFailAutoRetrySuccess / TestE2E_StreamRouterEntryPoints/JobTimeoutAutoRetry: the retry attempt runs to success', () => {
    const { events, state } = play(
      [
        ['2026-03-02T07:00:00Z', completion('timeout')],
        ['2026-03-02T07:00:01Z', evaluate(1, 2)],
        ['2026-03-02T07:00:02Z', jobStarted(2, 1, 'jr-2')],
        ['2026-03-02T07:30:00Z', completion('success', 2)],
      ],
      triggeredRun(),
    )
    expect(ofType(events, 'RetryGranted')).toHaveLength(1)
    expect(state.lifecycle).toMatchObject({ status: 'Completed', attemptId: attempt(2) })
  })

  // The failure itself is one fact, JOB_FAILED, whoever reported it (L9); the original published it only
  // from its poller, so a failure the job reported itself used to be silent.
  it('TestE2E_AutoRetries/JobFailRetryExhausted / TestE2E_FailureClassification/PermanentFailureNoRetry: no retry, RETRY_EXHAUSTED, Failed', () => {
    const permanentZero = withJob({ maxCodeRetries: 0 })
    for (const [ctx, category] of [
      [noRetries, undefined],
      [permanentZero, 'PERMANENT'],
    ] as const) {
      given(triggeredRun(ctx))
        .when(completion('fail', 1, category), context('2026-03-02T07:00:00Z', ctx))
        .thenEvents((events) => {
          expect(ofType(events, 'AttemptStarted')).toEqual([])
          expect(publicTypes(events)).toEqual(['JOB_FAILED', 'RETRY_EXHAUSTED'])
        })
    }
  })

  it('TestStreamRouter_JobFail_UnderRetryLimit_Reruns (L3): a redelivered failure of the same attempt spends no second retry', () => {
    const retried = play([['2026-03-02T07:00:00Z', completion('fail')]], triggeredRun()).events
    given(retried)
      .when(completion('fail'), context('2026-03-02T07:00:01Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['StaleJobResultRecorded']))
  })
})

describe('run, the lock (§11.21 lock primitives)', () => {
  it('acquire / already held; a completed run keeps its record without expiry (never stale, never reacquired)', () => {
    const done = play([['2026-03-02T07:00:00Z', completion('success')]], triggeredRun()).events
    given(done).when({ _tag: 'CheckStaleRun' }, context('2026-03-05T00:00:00Z')).thenNothing()
    given(done).when({ _tag: 'ReconcileTrigger' }, context('2026-03-05T00:00:00Z')).thenNothing()
  })

  it('TestE2E_HourBoundaryRollover/TwoHoursGetIndependentTriggers: T23 and the next day’s T00 are separate runs with separate locks', () => {
    for (const period of ['2026-03-07T23', '2026-03-08T00']) {
      given([])
        .when(sensor(`upstream-complete#${period}`, { status: 'ready' }), {
          ...context('2026-03-08T00:05:00Z'),
          run: { ...RUN, period },
        })
        .thenEvents((events) =>
          expect(ofType(events, 'AttemptStarted')[0]?.attemptId).toBe(`gold-revenue/default/${period}/1`),
        )
    }
  })
})
