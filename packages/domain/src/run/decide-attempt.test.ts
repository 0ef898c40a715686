import { describe, expect, it } from 'vitest'
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
  ready,
  sensor,
  tags,
  triggeredRun,
  triggerFailure,
} from './testing/run-builders.ts'

const T0 = '2026-03-02T06:00:00Z'

describe('run, before any sensor (Idle)', () => {
  it('TestStreamRouter_SensorMatch_StartsSFN: a passing trigger sensor starts one attempt and asks for an evaluation now', () => {
    given([])
      .when(ready(), context(T0))
      .thenEvents((events) => {
        expect(tags(events)).toEqual([
          'SensorReadingRecorded',
          'FirstSensorArrivalRecorded',
          'AttemptStarted',
          'TimerRequested',
        ])
        const [started] = ofType(events, 'AttemptStarted')
        expect(started).toMatchObject({
          attemptId: attempt(1),
          cause: 'sensor',
          lockExpiresAt: '2026-03-02T10:30:00.000Z',
          timing: {
            evaluationIntervalMs: 300_000,
            evaluationWindowMs: 3_600_000,
            jobPollWindowMs: 3_600_000,
          },
        })
        expect(ofType(events, 'TimerRequested')[0]).toMatchObject({
          fireAt: '2026-03-02T06:00:00.000Z',
          command: { _tag: 'EvaluateRun', attemptId: attempt(1), evaluationNumber: 1 },
        })
      })
  })

  it('TestStreamRouter_SensorPrefixMatch_PerPeriodKey: a per-period key of the trigger matches (R2: exact or #period)', () => {
    given([])
      .when(sensor('upstream-complete#2026-03-01', { status: 'ready' }), context(T0))
      .thenEvents((events) => expect(ofType(events, 'AttemptStarted')).toHaveLength(1))
  })

  it('TestStreamRouter_SensorNoMatch_NoSFN: another key is recorded and starts nothing; a mere prefix no longer matches (R2)', () => {
    given([])
      .when(sensor('upstream-completeness', { status: 'ready' }), context(T0))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestStreamRouter_TriggerValueMismatch_NoSFN: a trigger sensor that fails the condition starts nothing', () => {
    given([])
      .when(sensor('upstream-complete', { status: 'pending' }), context(T0))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestSensor_NoTriggerCondition: without schedule.trigger a sensor is only recorded', () => {
    given([])
      .when(ready(), context(T0, { config: config({ schedule: {} }) }))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestStreamRouter_ConfigChange_InvalidatesCache: the next sensor acts on the config in the context, not an older one', () => {
    const before = play([[T0, ready(), { config: config({ schedule: {} }) }]]).events
    given(before)
      .when(ready(), context('2026-03-02T06:01:00Z'))
      .thenEvents((events) => expect(ofType(events, 'AttemptStarted')).toHaveLength(1))
  })

  it('TestStreamRouter_CalendarExcluded_NoSFN (C7, D17 overruled: the period date is judged): an excluded period starts nothing', () => {
    const weekends = config({
      schedule: {
        trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
        exclude: { weekends: true },
      },
    })
    // 2026-03-01 is a Sunday.
    given([])
      .when(ready(), context(T0, { config: weekends }))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['SensorReadingRecorded', 'TriggerExcluded'])
        expect(ofType(events, 'TriggerExcluded')[0]).toMatchObject({
          source: 'sensor',
          sensorKey: 'upstream-complete',
        })
      })
  })

  it('records sensors while the pipeline is paused and decides nothing', () => {
    given([])
      .when(ready(), context(T0, { paused: true }))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })
})

describe('run, while an attempt holds the lock', () => {
  const started = play([[T0, ready()]]).events

  it('TestStreamRouter_SensorMatch_LockHeld_NoSFN: a second passing sensor starts no second attempt', () => {
    given(started)
      .when(ready(), context('2026-03-02T06:00:30Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('TestStreamRouter_SensorMatch_FirstArrivalIdempotent: the first arrival is never overwritten', () => {
    given(started)
      .when(ready(), context('2026-03-02T06:00:30Z'))
      .thenState((state) => expect(state.firstSensorArrivalAt).toBe('2026-03-02T06:00:00.000Z'))
  })

  it('TestOrchestrator_Evaluate_AllPass: a passing evaluation records every rule result and asks to start the job', () => {
    given(started)
      .when(evaluate(1), context('2026-03-02T06:00:01Z'))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RunEvaluated', 'JobStartRequested'])
        expect(ofType(events, 'RunEvaluated')[0]).toMatchObject({
          passed: true,
          ruleResults: [{ key: 'upstream-complete', check: 'equals', passed: true, actual: 'ready' }],
          sensorSnapshot: { 'upstream-complete': { status: 'ready' } },
        })
        expect(ofType(events, 'JobStartRequested')[0]).toMatchObject({
          attemptId: attempt(1),
          triggerTry: 1,
          jobType: 'command',
        })
      })
  })

  it('TestOrchestrator_Evaluate_OneFails: a failing evaluation schedules the next one after the interval', () => {
    const strict = config({
      validation: { trigger: 'ALL', rules: [{ key: 'row-count', check: 'exists' }] },
    })
    given(play([[T0, ready(), { config: strict }]]).events)
      .when(evaluate(1), context('2026-03-02T06:00:01Z', { config: strict }))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RunEvaluated', 'TimerRequested'])
        expect(ofType(events, 'RunEvaluated')[0]).toMatchObject({
          passed: false,
          ruleResults: [{ key: 'row-count', passed: false, reason: 'sensor key does not exist' }],
        })
        expect(ofType(events, 'TimerRequested')[0]).toMatchObject({
          fireAt: '2026-03-02T06:05:01.000Z',
          command: { _tag: 'EvaluateRun', evaluationNumber: 2 },
        })
      })
  })

  it('TestOrchestrator_Evaluate_PerPeriodSensorKey: a per-period sensor satisfies the rule on its base key', () => {
    const hourly = config({
      validation: {
        trigger: 'ALL',
        rules: [{ key: 'hourly-status', check: 'equals', field: 'ok', value: true }],
      },
    })
    const events = play([
      [T0, sensor('hourly-status#20260301', { ok: true }), { config: hourly }],
      ['2026-03-02T06:00:01Z', ready(), { config: hourly }],
      ['2026-03-02T06:00:02Z', evaluate(1), { config: hourly }],
    ]).events
    expect(ofType(events, 'RunEvaluated')[0]?.passed).toBe(true)
  })

  it('TestRemapPerPeriod_BaseKeyExists: the per-period reading wins over the base key', () => {
    const rule = config({
      validation: { trigger: 'ALL', rules: [{ key: 'daily-status', check: 'gte', field: 'n', value: 5 }] },
    })
    const events = play([
      [T0, sensor('daily-status', { n: 1 }), { config: rule }],
      [T0, sensor('daily-status#2026-03-01', { n: 9 }), { config: rule }],
      ['2026-03-02T06:00:01Z', ready(), { config: rule }],
      ['2026-03-02T06:00:02Z', evaluate(1), { config: rule }],
    ]).events
    expect(ofType(events, 'RunEvaluated')[0]).toMatchObject({
      passed: true,
      sensorSnapshot: { 'daily-status': { n: 9 } },
    })
  })

  it('TestRemapPerPeriod_NoMatch: a reading for another period is not seen', () => {
    const rule = config({
      validation: { trigger: 'ALL', rules: [{ key: 'hourly-status', check: 'exists' }] },
    })
    const events = play([
      [T0, sensor('hourly-status#2026-03-02', { ok: true }), { config: rule }],
      ['2026-03-02T06:00:01Z', ready(), { config: rule }],
      ['2026-03-02T06:00:02Z', evaluate(1), { config: rule }],
    ]).events
    expect(ofType(events, 'RunEvaluated')[0]?.passed).toBe(false)
  })

  it('TestE2E_PrimarySFNPaths/ValidationExhausted: 12 evaluations in 1 h / 5 m, then VALIDATION_EXHAUSTED at t = 60 min (L2)', () => {
    const strict = config({ validation: { trigger: 'ALL', rules: [{ key: 'row-count', check: 'exists' }] } })
    const steps: Array<readonly [string, ReturnType<typeof evaluate>, { config: typeof strict }]> = []
    for (let n = 1; n <= 13; n++) {
      const minute = String((n - 1) * 5).padStart(2, '0')
      steps.push([
        n === 13 ? '2026-03-02T07:00:00Z' : `2026-03-02T06:${minute}:00Z`,
        evaluate(n),
        { config: strict },
      ])
    }
    const { events, state } = play(steps, play([[T0, ready(), { config: strict }]]).events)
    expect(ofType(events, 'RunEvaluated')).toHaveLength(12)
    expect(ofType(events, 'ValidationExhausted')).toEqual([
      expect.objectContaining({ attemptId: attempt(1), evaluations: 12, windowMs: 3_600_000 }),
    ])
    expect(state.lifecycle.status).toBe('ValidationExhausted')
  })

  it('ignores an evaluation tick for another attempt, a repeated tick, and one out of order', () => {
    given(started).when(evaluate(1, 2), context('2026-03-02T06:00:01Z')).thenNothing()
    const once = play([['2026-03-02T06:00:01Z', evaluate(1)]], started).events
    given(once).when(evaluate(1), context('2026-03-02T06:00:02Z')).thenNothing()
    given(started).when(evaluate(3), context('2026-03-02T06:00:02Z')).thenNothing()
  })

  it('skips evaluating while paused but keeps the window running', () => {
    given(started)
      .when(evaluate(1), context('2026-03-02T06:00:01Z', { paused: true }))
      .thenEvents((events) => expect(tags(events)).toEqual(['EvaluationSkipped', 'TimerRequested']))
  })
})

describe('run, starting the job (Triggering)', () => {
  const requested = play([
    [T0, ready()],
    ['2026-03-02T06:00:01Z', evaluate(1)],
  ]).events

  it('TestOrchestrator_Trigger / TestTrigger_PublishesJobTriggeredEvent: the started job is recorded once, with its run id, and polled in 60 s', () => {
    given(requested)
      .when(jobStarted(), context('2026-03-02T06:00:05Z'))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['JobStarted', 'TimerRequested'])
        expect(ofType(events, 'JobStarted')[0]).toMatchObject({
          runId: 'jr-12345',
          jobType: 'command',
          triggerTry: 1,
        })
        expect(ofType(events, 'TimerRequested')[0]).toMatchObject({
          fireAt: '2026-03-02T06:01:05.000Z',
          command: { _tag: 'PollJob', pollNumber: 1 },
        })
      })
  })

  it('starts no second job for an attempt already started (a repeated start report changes nothing)', () => {
    given(play([['2026-03-02T06:00:05Z', jobStarted()]], requested).events)
      .when(jobStarted(), context('2026-03-02T06:00:06Z'))
      .thenNothing()
  })

  it('TestExtractRunID_NilMetadata: a synchronous trigger completes at once (A11)', () => {
    given(requested)
      .when(
        { ...jobStarted(), runId: 'sync', synchronous: true } as ReturnType<typeof jobStarted>,
        context('2026-03-02T06:00:05Z'),
      )
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['JobStarted', 'JobSucceeded'])
        expect(ofType(events, 'JobSucceeded')[0]).toMatchObject({
          runId: 'sync',
          observedBy: 'synchronous-trigger',
        })
      })
  })

  it('TestOrchestrator_Trigger_InfraFailure: a failed try is recorded and retried after 30 s', () => {
    given(requested)
      .when(triggerFailure(), context('2026-03-02T06:00:05Z'))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['TriggerFailed', 'TimerRequested'])
        expect(ofType(events, 'TriggerFailed')[0]).toMatchObject({ retryAt: '2026-03-02T06:00:35.000Z' })
        expect(ofType(events, 'TimerRequested')[0]?.command).toEqual({
          _tag: 'RetryTrigger',
          attemptId: attempt(1),
          triggerTry: 2,
        })
      })
  })

  it('TestOrchestrator_TriggerExhausted: after 4 tries (30/60/120 s backoff) the attempt ends and the lock is released (A14, T4)', () => {
    const { events, state } = play(
      [
        ['2026-03-02T06:00:05Z', triggerFailure(1, 1)],
        ['2026-03-02T06:00:35Z', { _tag: 'RetryTrigger', attemptId: attempt(1), triggerTry: 2 }],
        ['2026-03-02T06:00:36Z', triggerFailure(1, 2)],
        ['2026-03-02T06:01:36Z', { _tag: 'RetryTrigger', attemptId: attempt(1), triggerTry: 3 }],
        ['2026-03-02T06:01:37Z', triggerFailure(1, 3)],
        ['2026-03-02T06:03:37Z', { _tag: 'RetryTrigger', attemptId: attempt(1), triggerTry: 4 }],
        ['2026-03-02T06:03:38Z', triggerFailure(1, 4)],
      ],
      requested,
    )
    expect(ofType(events, 'JobStartRequested').map((event) => event.triggerTry)).toEqual([1, 2, 3, 4])
    expect(ofType(events, 'TriggerRetriesExhausted')).toEqual([
      expect.objectContaining({ tries: 4, lastError: 'trigger execute: ConcurrentRunsExceededException' }),
    ])
    expect(state.lifecycle.status).toBe('Idle')
    // The lock is free again: a new sensor starts attempt 2.
    const again = play([['2026-03-02T06:10:00Z', ready()]], events).events
    expect(ofType(again, 'AttemptStarted').map((event) => event.attemptNumber)).toEqual([1, 2])
  })

  it('TestOrchestrator_Trigger_ConfigError (D5): a permanent trigger error is not retried', () => {
    given(requested)
      .when(triggerFailure(1, 1, 'PERMANENT'), context('2026-03-02T06:00:05Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['TriggerFailed', 'TriggerRetriesExhausted']))
  })
})

describe('run, polling the job (Polling)', () => {
  const polling = triggeredRun()

  it('TestOrchestrator_CheckJob_PollsRunning: a running job is polled again in 60 s', () => {
    const asked = play([['2026-03-02T06:01:05Z', poll(1)]], polling).events
    expect(ofType(asked, 'JobStatusCheckRequested')[0]).toMatchObject({ pollNumber: 1, runId: 'jr-12345' })
    given(asked)
      .when(jobStatus(1, 'running'), context('2026-03-02T06:01:06Z'))
      .thenEvents((events) =>
        expect(ofType(events, 'TimerRequested')[0]?.command).toMatchObject({ pollNumber: 2 }),
      )
  })

  it('TestOrchestrator_CheckJob_PollsGlueSucceeded: success completes the run (JOB_COMPLETED once)', () => {
    const asked = play([['2026-03-02T06:01:05Z', poll(1)]], polling).events
    given(asked)
      .when(jobStatus(1, 'succeeded'), context('2026-03-02T06:01:06Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['JobSucceeded']))
  })

  it('TestCheckJob_FailedWithCategory: a failure carries its category', () => {
    const asked = play([['2026-03-02T06:01:05Z', poll(1)]], polling).events
    given(asked)
      .when(jobStatus(1, 'failed', 1, 'PERMANENT'), context('2026-03-02T06:01:06Z'))
      .thenEvents((events) =>
        expect(ofType(events, 'JobFailed')[0]).toMatchObject({
          category: 'PERMANENT',
          error: 'glue job FAILED',
          observedBy: 'poll',
        }),
      )
  })

  it('TestE2E_PrimarySFNPaths/JobPollWindowExhausted: a 120 s poll window gives 2 checks, then JOB_POLL_EXHAUSTED and Failed, no retry', () => {
    const short = {
      config: config({ job: { type: 'command', config: { command: 'x' }, jobPollWindowSeconds: 120 } }),
    }
    const base = play([
      [T0, ready(), short],
      ['2026-03-02T06:00:01Z', evaluate(1), short],
      ['2026-03-02T06:00:05Z', jobStarted(), short],
    ]).events
    const { events, state } = play(
      [
        ['2026-03-02T06:01:05Z', poll(1), short],
        ['2026-03-02T06:01:06Z', jobStatus(1, 'running'), short],
        ['2026-03-02T06:02:06Z', poll(2), short],
        ['2026-03-02T06:02:07Z', jobStatus(2, 'running'), short],
      ],
      base,
    )
    expect(ofType(events, 'JobPollExhausted')).toEqual([
      expect.objectContaining({ polls: 2, windowMs: 120_000 }),
    ])
    expect(state.lifecycle).toMatchObject({ status: 'Failed', cause: 'job-poll-exhausted' })
    expect(ofType(events, 'RetryGranted')).toEqual([])
  })

  it('TestCheckJob_StatusCheckError: a repeated answer to the same check changes nothing', () => {
    const answered = play(
      [
        ['2026-03-02T06:01:05Z', poll(1)],
        ['2026-03-02T06:01:06Z', jobStatus(1, 'running')],
      ],
      polling,
    ).events
    given(answered).when(jobStatus(1, 'running'), context('2026-03-02T06:01:07Z')).thenNothing()
  })

  it('refuses a completion reported before the job start was recorded (the processor delivers it again)', () => {
    const requested = play([
      [T0, ready()],
      ['2026-03-02T06:00:01Z', evaluate(1)],
    ]).events
    given(requested)
      .when(completion('success'), context('2026-03-02T06:00:02Z'))
      .thenRejects('JobNotStartedYet')
  })
})
