import { Either, Schema } from 'effect'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PipelineConfig } from '../config/pipeline-config.ts'
import { type AttemptId, attemptIdFor } from '../shared/attempt-id.ts'
import type { RunKey } from '../shared/run-key.ts'
import type { RunCommand } from './commands.ts'
import { decide } from './decide.ts'
import { RunEvent } from './events.ts'
import { evolve, initialRunState, type RunState } from './state.ts'
import { config, context, RUN } from './testing/run-builders.ts'

const START = Date.parse('2026-03-02T06:00:00Z')
/** Medium-sized random sequences take a few seconds per property on a slow machine. */
const PROPERTY_TIMEOUT_MS = 60_000
const postRunConfig = config({
  postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
  sla: { deadline: '09:00', expectedDuration: '30m' },
  job: { type: 'command', config: { command: 'x' }, maxRetries: 2, maxManualReruns: 2 } as never,
})

/** A second setup: one of seed 001's named schedules, whose periods do not start before 07:00 UTC (C14). */
const TRIGGER = { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' }
const MORNING: RunKey = { pipelineId: 'gold-revenue', scheduleId: 'morning', period: '2026-03-02' }
const NOT_BEFORE = Date.parse('2026-03-02T07:00:00Z')
const afterConfig = Schema.decodeUnknownSync(PipelineConfig)({
  pipeline: { id: 'gold-revenue' },
  schedules: [{ name: 'morning', after: '07:00', deadline: '11:00', trigger: TRIGGER }],
  validation: { trigger: 'ALL', rules: [TRIGGER] },
  postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
  job: { type: 'command', config: { command: 'x' }, maxRetries: 2, maxManualReruns: 2 },
})

const n = fc.integer({ min: 1, max: 4 })
const category = fc.constantFrom(undefined, 'PERMANENT' as const, 'TRANSIENT' as const, 'TIMEOUT' as const)
/** Any command of the run `key`, with attempt numbers 1–4 of that run (some never started). */
const commandOf = (key: RunKey): fc.Arbitrary<RunCommand> => {
  const attempt = (number: number): AttemptId => attemptIdFor(key, number)
  return fc.oneof(
    fc.constantFrom<RunCommand>(
      { _tag: 'RecordSensorReading', key: 'upstream-complete', data: { status: 'ready' } },
      { _tag: 'RecordSensorReading', key: 'upstream-complete', data: { status: 'pending' } },
      { _tag: 'RecordSensorReading', key: 'output-rows', data: { sensor_count: 100, updatedAt: START } },
      { _tag: 'RecordSensorReading', key: 'output-rows', data: { sensor_count: 120 } },
      { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' },
      { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'breach' },
      { _tag: 'ScheduleSla' },
      { _tag: 'CheckStaleRun' },
      { _tag: 'ReconcileTrigger' },
      { _tag: 'CheckPostRunSensors' },
      { _tag: 'FireCron', firedAt: '2026-03-02T06:00:00.000Z' as never },
      { _tag: 'StartDeferredAttempt' },
    ),
    fc
      .record({ a: n, e: n })
      .map(({ a, e }): RunCommand => ({ _tag: 'EvaluateRun', attemptId: attempt(a), evaluationNumber: e })),
    fc
      .record({ a: n, t: n })
      .map(({ a, t }): RunCommand => ({ _tag: 'RetryTrigger', attemptId: attempt(a), triggerTry: t })),
    fc.record({ a: n, t: n, sync: fc.boolean() }).map(
      ({ a, t, sync }): RunCommand => ({
        _tag: 'RecordJobStarted',
        attemptId: attempt(a),
        triggerTry: t,
        jobType: 'command',
        runId: `r-${a}`,
        metadata: {},
        synchronous: sync,
      }),
    ),
    fc.record({ a: n, t: n, c: category }).map(
      ({ a, t, c }): RunCommand => ({
        _tag: 'RecordTriggerFailure',
        attemptId: attempt(a),
        triggerTry: t,
        error: 'boom',
        ...(c !== undefined ? { category: c } : {}),
      }),
    ),
    fc
      .record({ a: n, p: n })
      .map(({ a, p }): RunCommand => ({ _tag: 'PollJob', attemptId: attempt(a), pollNumber: p })),
    fc
      .record({
        a: n,
        p: n,
        s: fc.constantFrom('running' as const, 'succeeded' as const, 'failed' as const, 'timeout' as const),
        c: category,
      })
      .map(
        ({ a, p, s, c }): RunCommand => ({
          _tag: 'RecordJobStatus',
          attemptId: attempt(a),
          pollNumber: p,
          status: s,
          ...(c !== undefined ? { category: c } : {}),
        }),
      ),
    fc
      .record({
        a: n,
        o: fc.constantFrom('success' as const, 'fail' as const, 'timeout' as const),
        c: category,
      })
      .map(
        ({ a, o, c }): RunCommand => ({
          _tag: 'RecordJobCompletion',
          attemptId: attempt(a),
          outcome: o,
          ...(c !== undefined ? { category: c } : {}),
        }),
      ),
    fc
      .record({
        id: fc.constantFrom('r1', 'r2', 'r3'),
        reason: fc.constantFrom(undefined, 'manual', 'data-drift', 'backfill'),
      })
      .map(
        ({ id, reason }): RunCommand => ({
          _tag: 'RequestRerun',
          requestId: id,
          ...(reason !== undefined ? { reason } : {}),
        }),
      ),
  )
}

interface Setup {
  readonly name: string
  readonly run: RunKey
  readonly config: PipelineConfig
}
const SETUPS: ReadonlyArray<Setup> = [
  { name: 'a single schedule', run: RUN, config: postRunConfig },
  { name: 'a named schedule with after (C14)', run: MORNING, config: afterConfig },
]
type Step = { readonly command: RunCommand; readonly advanceMs: number; readonly paused: boolean }
const stepsOf = (setup: Setup): fc.Arbitrary<ReadonlyArray<Step>> =>
  fc.array(
    fc.record({
      command: commandOf(setup.run),
      advanceMs: fc.integer({ min: 0, max: 40 * 60_000 }),
      paused: fc.boolean(),
    }),
    // Medium-sized sequences, so runs get past evaluation into jobs, retries, reruns and late data.
    { maxLength: 60, size: 'medium' },
  )

/** Replays commands through decide, folding each decision; rejections append nothing. */
const replay = (setup: Setup, steps: ReadonlyArray<Step>) => {
  let now = START
  let state: RunState = initialRunState
  const events: Array<RunEvent> = []
  for (const { command: next, advanceMs, paused } of steps) {
    now += advanceMs
    const decision = decide(next, state, {
      ...context('2026-03-02T06:00:00Z', { config: setup.config, run: setup.run }),
      now,
      paused: paused && advanceMs % 7 === 0,
    })
    if (Either.isRight(decision)) {
      events.push(...decision.right)
      state = decision.right.reduce(evolve, state)
    }
  }
  return { events, state }
}

const encode = Schema.encodeSync(Schema.Array(RunEvent))
const decode = Schema.decodeUnknownSync(Schema.Array(RunEvent))

describe.each(SETUPS)('run decider with $name, for any sequence of commands', (setup) => {
  it(
    'folding the produced events (after a JSON round trip through the schemas) reproduces the decider state, byte for byte',
    () => {
      fc.assert(
        fc.property(stepsOf(setup), (steps) => {
          const { events, state } = replay(setup, steps)
          const stored = JSON.parse(JSON.stringify(encode(events)))
          const replayed = decode(stored).reduce(evolve, initialRunState)
          expect(JSON.stringify(replayed)).toBe(JSON.stringify(state))
          expect(JSON.stringify(decode(stored).reduce(evolve, initialRunState))).toBe(
            JSON.stringify(replayed),
          )
        }),
        { numRuns: 120 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'never has two live attempts for the period',
    () => {
      fc.assert(
        fc.property(stepsOf(setup), (steps) => {
          const live = new Set<string>()
          for (const event of replay(setup, steps).events) {
            switch (event._tag) {
              case 'AttemptStarted':
                live.add(event.attemptId)
                break
              case 'AttemptSuperseded':
              case 'ValidationExhausted':
              case 'TriggerRetriesExhausted':
              case 'JobSucceeded':
              case 'JobFailed':
              case 'JobPollExhausted':
              case 'RunTimedOut':
                live.delete(event.attemptId)
                break
              default:
                break
            }
            expect(live.size).toBeLessThanOrEqual(1)
          }
        }),
        { numRuns: 120 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )

  it(
    'never asks to start a job without a passing evaluation of that attempt, and starts at most one job per attempt',
    () => {
      fc.assert(
        fc.property(stepsOf(setup), (steps) => {
          const passed = new Set<string>()
          const started = new Set<string>()
          for (const event of replay(setup, steps).events) {
            if (event._tag === 'RunEvaluated' && event.passed) passed.add(event.attemptId)
            if (event._tag === 'JobStartRequested') expect(passed.has(event.attemptId)).toBe(true)
            if (event._tag === 'JobStarted') {
              expect(started.has(event.attemptId)).toBe(false)
              started.add(event.attemptId)
            }
          }
        }),
        { numRuns: 120 },
      )
    },
    PROPERTY_TIMEOUT_MS,
  )
})

describe('run decider for a named schedule with after (C14), for any sequence of commands', () => {
  const setup = SETUPS[1] as Setup
  it(
    'never starts an attempt before the period may start, and still starts some after it',
    () => {
      let startedAfter = 0
      fc.assert(
        fc.property(stepsOf(setup), (steps) => {
          for (const event of replay(setup, steps).events) {
            if (event._tag !== 'AttemptStarted') continue
            expect(Date.parse(event.at)).toBeGreaterThanOrEqual(NOT_BEFORE)
            startedAfter++
          }
        }),
        { numRuns: 120 },
      )
      expect(startedAfter).toBeGreaterThan(0)
    },
    PROPERTY_TIMEOUT_MS,
  )
})
