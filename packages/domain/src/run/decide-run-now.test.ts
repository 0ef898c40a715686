import { Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import { PipelineConfig } from '../config/pipeline-config.ts'
import type { RunCommand } from './commands.ts'
import { publicEventOf } from './public-events.ts'
import {
  attempt,
  config,
  context,
  given,
  ofType,
  play,
  RUN,
  ready,
  sensor,
  succeededRun,
  tags,
  triggeredRun,
} from './testing/run-builders.ts'

// Seed 001's `interlock run <pipeline>`: evaluate now and trigger if ready (POST /api/pipelines/{id}/run).
const runNow = (requestId = 'req-1'): RunCommand => ({ _tag: 'RunNow', requestId })
const NOW = '2026-03-01T08:00:00Z'
/** The default fixture's rules read `upstream-complete`; a reading on another key leaves them failing. */
const unrelated = sensor('row-count', { count: 5 })

describe('RunNow on a period that has not run', () => {
  it('records the passing evaluation and starts a manual attempt whose first evaluation is due at once', () => {
    const before = play([['2026-03-01T07:00:00Z', sensor('upstream-complete', { status: 'ready' })]], [])
    // The trigger reading itself opened the period in `before`; start from a run with only a stored sensor.
    const stored = before.events.filter((event) => event._tag === 'SensorReadingRecorded')
    given(stored)
      .when(runNow(), context(NOW))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RunNowEvaluated', 'AttemptStarted', 'TimerRequested'])
        expect(ofType(events, 'RunNowEvaluated')[0]).toMatchObject({ requestId: 'req-1', passed: true })
        expect(ofType(events, 'AttemptStarted')[0]).toMatchObject({
          attemptId: attempt(1),
          attemptNumber: 1,
          cause: 'manual',
        })
        expect(ofType(events, 'TimerRequested')[0]).toMatchObject({
          fireAt: '2026-03-01T08:00:00.000Z',
          command: { _tag: 'EvaluateRun', attemptId: attempt(1), evaluationNumber: 1 },
        })
      })
  })

  it('records a failing evaluation with its blocking rules and starts nothing', () => {
    given(play([['2026-03-01T07:00:00Z', unrelated]]).events)
      .when(runNow(), context(NOW))
      .thenEvents((events) => {
        expect(tags(events)).toEqual(['RunNowEvaluated'])
        const [evaluated] = ofType(events, 'RunNowEvaluated')
        expect(evaluated).toMatchObject({ passed: false, mode: 'ALL' })
        expect(evaluated?.ruleResults.filter((result) => !result.passed).map((result) => result.key)).toEqual(
          ['upstream-complete'],
        )
        expect(publicEventOf(evaluated!, RUN)).toMatchObject({
          type: 'RUN_NOT_READY',
          alert: false,
          message: 'run requested for gold-revenue but not ready: upstream-complete',
        })
      })
  })

  it('evaluates again on a second request, still not ready while the trigger reading fails its condition', () => {
    const notReady = play([
      ['2026-03-01T07:00:00Z', unrelated],
      [NOW, runNow('first')],
    ]).events
    // A reading on the trigger key that fails its condition is stored without opening the period.
    const stored = play(
      [['2026-03-01T08:01:00Z', sensor('upstream-complete', { status: 'pending' })]],
      notReady,
    )
    given(stored.events)
      .when(runNow('second'), context('2026-03-01T08:02:00Z'))
      .thenEvents((events) => expect(tags(events)).toEqual(['RunNowEvaluated']))
  })

  it('starts at once a period waiting for its schedule `after` time, evaluating its sensors', () => {
    const trigger = { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' }
    const waiting = Schema.decodeUnknownSync(PipelineConfig)({
      pipeline: { id: RUN.pipelineId },
      schedules: [{ name: 'default', after: '10:00', trigger }],
      validation: { rules: [trigger] },
      job: { type: 'command', config: { command: 'run-etl' } },
    })
    const deferred = play([['2026-03-01T07:00:00Z', ready(), { config: waiting }]]).events
    expect(tags(deferred)).toContain('AttemptDeferred')
    given(deferred)
      .when(runNow(), context(NOW, { config: waiting }))
      .thenEvents((events) =>
        expect(tags(events)).toEqual(['RunNowEvaluated', 'AttemptStarted', 'TimerRequested']),
      )
  })
})

describe('RunNow refused, nothing recorded', () => {
  it('while the run is live', () => {
    const rejection = given(triggeredRun())
      .when(runNow(), context('2026-03-02T06:30:00Z'))
      .thenRejects('RunAlreadyStarted')
    expect(rejection.message).toBe(
      'run-gold-revenue-default-2026-03-01 is already running (Polling); follow it instead of starting another.',
    )
  })

  it('after the run succeeded (a rerun is the way to run it again)', () => {
    const rejection = given(succeededRun())
      .when(runNow(), context('2026-03-02T08:00:00Z'))
      .thenRejects('RunAlreadyStarted')
    expect(rejection.message).toBe(
      'run-gold-revenue-default-2026-03-01 has already run (Completed); ask for a rerun to run the period again.',
    )
  })

  it('on a period excluded by the calendar', () => {
    const weekdays = config({ schedule: { exclude: { weekends: true } } } as never)
    // 2026-03-01 is a Sunday.
    expect(
      given([])
        .when(runNow(), context(NOW, { config: weekdays }))
        .thenRejects('RunNotAllowed'),
    ).toMatchObject({
      reason: 'excluded',
    })
  })

  it('for a dry-run pipeline', () => {
    const dryRun = context(NOW, { config: config({ dryRun: true }) })
    expect(given([]).when(runNow(), dryRun).thenRejects('RunNotAllowed')).toMatchObject({ reason: 'dry-run' })
  })

  it('while the pipeline is paused', () => {
    given([])
      .when(runNow(), context(NOW, { paused: true }))
      .thenRejects('PipelineIsPaused')
  })
})
