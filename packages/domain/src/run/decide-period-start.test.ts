import { Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import { PipelineConfig } from '../config/pipeline-config.ts'
import { attemptIdFor } from '../shared/attempt-id.ts'
import type { RunKey } from '../shared/run-key.ts'
import type { RunCommand } from './commands.ts'
import type { RunContext } from './context.ts'
import { publicEventOf } from './public-events.ts'
import { context, given, ofType, play, ready, rerun, sensor, tags } from './testing/run-builders.ts'

// C14 `after` (seed 001): "the local time before which the period does not start". Seed 001's two windows
// of one pipeline, in New York (EST, UTC−5, in early March 2026).
const TRIGGER = { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' }
const twoWindows = (extra: Record<string, unknown> = {}): PipelineConfig =>
  Schema.decodeUnknownSync(PipelineConfig)({
    pipeline: { id: 'multi-window-pipeline' },
    schedules: [
      { name: 'morning', after: '06:00', deadline: '09:00', timezone: 'America/New_York', trigger: TRIGGER },
      { name: 'evening', after: '18:00', deadline: '21:00', timezone: 'America/New_York', trigger: TRIGGER },
    ],
    validation: { trigger: 'ALL', rules: [TRIGGER] },
    job: { type: 'command', config: { command: 'run-etl' } },
    ...extra,
  })

const MORNING: RunKey = { pipelineId: 'multi-window-pipeline', scheduleId: 'morning', period: '2026-03-02' }
const EVENING: RunKey = { ...MORNING, scheduleId: 'evening' }
const at = (now: string, run: RunKey = MORNING, extra: Partial<RunContext> = {}): RunContext =>
  context(now, { run, config: twoWindows(), ...extra })
const steps = (run: RunKey, list: ReadonlyArray<readonly [string, RunCommand, Partial<RunContext>?]>) =>
  list.map(([now, command, extra]) => [now, command, { run, config: twoWindows(), ...extra }] as const)
const startDeferred: RunCommand = { _tag: 'StartDeferredAttempt' }
/** 04:00 in New York: two hours before the morning window. */
const EARLY = '2026-03-02T09:00:00Z'
/** 06:00 in New York. */
const MORNING_AFTER = '2026-03-02T11:00:00Z'

describe('run of a schedule with `after` (C14), before its after time', () => {
  it('defers a passing trigger sensor: no attempt, no lock, no first arrival; a timer for 06:00 local', () => {
    given([])
      .when(ready(), at(EARLY))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['SensorReadingRecorded', 'AttemptDeferred', 'TimerRequested'])
        expect(ofType(events, 'AttemptDeferred')[0]).toMatchObject({
          cause: 'sensor',
          sensorKey: 'upstream-complete',
          after: '06:00',
          timezone: 'America/New_York',
          notBefore: '2026-03-02T11:00:00.000Z',
        })
        expect(ofType(events, 'TimerRequested')[0]).toMatchObject({
          timerId: 'deferred-start/2026-03-02T11:00:00.000Z',
          fireAt: '2026-03-02T11:00:00.000Z',
          command: { _tag: 'StartDeferredAttempt' },
        })
        expect(events.map((event) => publicEventOf(event, MORNING))).toEqual([null, null, null])
      })
  })

  it('keeps waiting on further passing sensors (one deferral, one timer)', () => {
    const waiting = play(steps(MORNING, [[EARLY, ready()]])).events
    given(waiting)
      .when(ready(), at('2026-03-02T10:00:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['SensorReadingRecorded']))
  })

  it('starts the attempt when the timer fires at 06:00 local, the lock and T0 counted from then', () => {
    const waiting = play(steps(MORNING, [[EARLY, ready()]])).events
    given(waiting)
      .when(startDeferred, at(MORNING_AFTER))
      .thenEvents((events) => {
        expect(tags(events)).toEqual([
          'FirstSensorArrivalRecorded',
          'AttemptStarted',
          'SlaScheduled',
          'TimerRequested',
          'TimerRequested',
        ])
        expect(ofType(events, 'AttemptStarted')[0]).toMatchObject({
          attemptId: attemptIdFor(MORNING, 1),
          cause: 'sensor',
          sensorKey: 'upstream-complete',
          lockExpiresAt: '2026-03-02T15:30:00.000Z',
        })
        expect(ofType(events, 'TimerRequested').at(-1)).toMatchObject({
          fireAt: '2026-03-02T11:00:00.000Z',
          command: { _tag: 'EvaluateRun', attemptId: attemptIdFor(MORNING, 1), evaluationNumber: 1 },
        })
      })
  })

  it('asks again for a timer that fired early, and starts nothing', () => {
    const waiting = play(steps(MORNING, [[EARLY, ready()]])).events
    given(waiting)
      .when(startDeferred, at('2026-03-02T10:59:59Z'))
      .thenEvents((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            _tag: 'TimerRequested',
            timerId: 'deferred-start/2026-03-02T11:00:00.000Z',
            fireAt: '2026-03-02T11:00:00.000Z',
          }),
        ]),
      )
  })

  it('starts on the next passing sensor after 06:00 when the timer was lost', () => {
    const waiting = play(steps(MORNING, [[EARLY, ready()]])).events
    given(waiting)
      .when(ready(), at('2026-03-02T11:30:00Z'))
      .thenEvents((events) => expect(ofType(events, 'AttemptStarted')).toHaveLength(1))
  })

  it('a repeated timer after the start changes nothing', () => {
    const started = play(
      steps(MORNING, [
        [EARLY, ready()],
        [MORNING_AFTER, startDeferred],
      ]),
    ).events
    given(started).when(startDeferred, at('2026-03-02T11:00:05Z')).thenNothing()
  })

  it('judges each schedule on its own after: the evening window of the same reading waits until 18:00 local', () => {
    const morning = play(steps(MORNING, [[MORNING_AFTER, ready()]])).events
    expect(ofType(morning, 'AttemptStarted')).toHaveLength(1)
    given([])
      .when(ready(), at(MORNING_AFTER, EVENING))
      .thenEvents((events) =>
        expect(ofType(events, 'AttemptDeferred')[0]?.notBefore).toBe('2026-03-02T23:00:00.000Z'),
      )
  })

  it('defers a cron fire too, and starts it with cause cron', () => {
    const cron = twoWindows({
      schedules: [{ name: 'morning', after: '06:00', timezone: 'America/New_York', cron: '0 4 * * *' }],
    })
    const fired = play(
      steps(MORNING, [[EARLY, { _tag: 'FireCron', firedAt: '2026-03-02T09:00:00.000Z' } as RunCommand]]).map(
        ([now, command, extra]) => [now, command, { ...extra, config: cron }] as const,
      ),
    ).events
    expect(ofType(fired, 'AttemptDeferred')[0]).toMatchObject({ cause: 'cron' })
    expect(ofType(fired, 'AttemptDeferred')[0]).not.toHaveProperty('sensorKey')
    given(fired)
      .when(startDeferred, at(MORNING_AFTER, MORNING, { config: cron }))
      .thenEvents((events) => {
        expect(tags(events)).not.toContain('FirstSensorArrivalRecorded')
        expect(ofType(events, 'AttemptStarted')[0]?.cause).toBe('cron')
      })
  })

  it('defers a reconciliation, which announces TRIGGER_RECOVERED when the attempt really starts', () => {
    const recorded = play(steps(MORNING, [[EARLY, ready(), { paused: true }]])).events
    const deferred = play(
      steps(MORNING, [['2026-03-02T09:05:00Z', { _tag: 'ReconcileTrigger' }]]),
      recorded,
    ).events
    expect(tags(deferred.slice(recorded.length))).toEqual(['AttemptDeferred', 'TimerRequested'])
    given(deferred)
      .when(startDeferred, at(MORNING_AFTER))
      .thenEvents((events) => {
        expect(ofType(events, 'AttemptStarted')[0]?.cause).toBe('recovered')
        expect(ofType(events, 'TriggerRecovered')).toEqual([
          expect.objectContaining({ attemptId: attemptIdFor(MORNING, 1), sensorKey: 'upstream-complete' }),
        ])
      })
  })

  it('waits one evaluation interval at a time while the pipeline is paused', () => {
    const waiting = play(steps(MORNING, [[EARLY, ready()]])).events
    given(waiting)
      .when(startDeferred, at(MORNING_AFTER, MORNING, { paused: true }))
      .thenEvents((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            _tag: 'TimerRequested',
            fireAt: '2026-03-02T11:05:00.000Z',
            command: { _tag: 'StartDeferredAttempt' },
          }),
        ]),
      )
  })

  it('refuses a rerun of a period that has not started yet (INFRA_FAILURE, as for a period that never ran)', () => {
    const waiting = play(steps(MORNING, [[EARLY, ready()]])).events
    given(waiting)
      .when(rerun('r-1'), at('2026-03-02T10:00:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['RerunWithoutRun']))
  })

  it('starts at once when the sensor arrives exactly at the after time (not before it)', () => {
    given([])
      .when(ready(), at(MORNING_AFTER))
      .thenEvents((events) => expect(ofType(events, 'AttemptStarted')).toHaveLength(1))
  })

  it('gates an hourly period on its own date at the after time', () => {
    const hourly: RunKey = { ...MORNING, period: '2026-03-02T03' }
    given([])
      .when(
        sensor('upstream-complete#2026-03-02T03', { status: 'ready' }),
        at('2026-03-02T08:30:00Z', hourly),
      )
      .thenEvents((events) =>
        expect(ofType(events, 'AttemptDeferred')[0]?.notBefore).toBe('2026-03-02T11:00:00.000Z'),
      )
  })

  it('follows a later after from a config change while waiting: a new deferral and timer', () => {
    const waiting = play(steps(MORNING, [[EARLY, ready()]])).events
    const later = twoWindows({
      schedules: [{ name: 'morning', after: '07:00', timezone: 'America/New_York', trigger: TRIGGER }],
    })
    given(waiting)
      .when(startDeferred, at(MORNING_AFTER, MORNING, { config: later }))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['AttemptDeferred', 'TimerRequested'])
        expect(ofType(events, 'AttemptDeferred')[0]?.notBefore).toBe('2026-03-02T12:00:00.000Z')
      })
  })
})
