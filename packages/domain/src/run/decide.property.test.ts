import { Either, Schema } from 'effect'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RunCommand } from './commands.ts'
import { decide } from './decide.ts'
import { RunEvent } from './events.ts'
import { evolve, initialRunState, type RunState } from './state.ts'
import { attempt, config, context } from './testing/run-builders.ts'

const START = Date.parse('2026-03-02T06:00:00Z')
const postRunConfig = config({
  postRun: { rules: [{ key: 'output-rows', check: 'gte', field: 'sensor_count', value: 1 }] },
  sla: { deadline: '09:00', expectedDuration: '30m' },
  job: { type: 'command', config: { command: 'x' }, maxRetries: 2, maxManualReruns: 2 } as never,
})

const n = fc.integer({ min: 1, max: 4 })
const category = fc.constantFrom(undefined, 'PERMANENT' as const, 'TRANSIENT' as const, 'TIMEOUT' as const)
const command: fc.Arbitrary<RunCommand> = fc.oneof(
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
const step = fc.record({ command, advanceMs: fc.integer({ min: 0, max: 40 * 60_000 }), paused: fc.boolean() })

/** Replays commands through decide, folding each decision; rejections append nothing. */
const run = (steps: ReadonlyArray<{ command: RunCommand; advanceMs: number; paused: boolean }>) => {
  let now = START
  let state: RunState = initialRunState
  const events: Array<RunEvent> = []
  for (const { command: next, advanceMs, paused } of steps) {
    now += advanceMs
    const decision = decide(next, state, {
      ...context('2026-03-02T06:00:00Z', { config: postRunConfig }),
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

describe('run decider, for any sequence of commands', () => {
  it('folding the produced events (after a JSON round trip through the schemas) reproduces the decider state, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const { events, state } = run(steps)
        const stored = JSON.parse(JSON.stringify(encode(events)))
        const replayed = decode(stored).reduce(evolve, initialRunState)
        expect(JSON.stringify(replayed)).toBe(JSON.stringify(state))
        expect(JSON.stringify(decode(stored).reduce(evolve, initialRunState))).toBe(JSON.stringify(replayed))
      }),
      { numRuns: 300 },
    )
  })

  it('never has two live attempts for the period', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const live = new Set<string>()
        for (const event of run(steps).events) {
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
      { numRuns: 300 },
    )
  })

  it('never asks to start a job without a passing evaluation of that attempt, and starts at most one job per attempt', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const passed = new Set<string>()
        const started = new Set<string>()
        for (const event of run(steps).events) {
          if (event._tag === 'RunEvaluated' && event.passed) passed.add(event.attemptId)
          if (event._tag === 'JobStartRequested') expect(passed.has(event.attemptId)).toBe(true)
          if (event._tag === 'JobStarted') {
            expect(started.has(event.attemptId)).toBe(false)
            started.add(event.attemptId)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
