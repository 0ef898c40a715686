/**
 * Projection catch-up benchmark: events/s each projection applies when it replays a log of realistic run
 * histories from position 0 (the rebuild path), alone and all together as a processor runs them. Prints JSON.
 *
 *   npm run bench -w @interlock/projections      (INTERLOCK_BENCH_RUNS=1000 run histories by default)
 */
import { createTestDatabase } from '@interlock/db'
import {
  decideRun,
  EVENT_TAGS,
  epochMillisOf,
  evolveRun,
  InterlockEvent,
  initialRunState,
  instantFromText,
  type RunCommand,
  type RunEvent,
  type RunKey,
  runStreamId,
} from '@interlock/domain'
import { EventStore, makeEventCodec } from '@interlock/eventstore'
import pg from 'pg'
import { allProjections } from '../src/all-projections.ts'
import { combineProjections } from '../src/combined-projection.ts'
import type { Projection } from '../src/projection.ts'
import { ProjectionRunner, rebuildProjection } from '../src/projection-runner.ts'
import { dailyPipeline } from '../src/testing/event-history.ts'

const RUNS = Number(process.env.INTERLOCK_BENCH_RUNS ?? 1_000)
const APPEND_CONCURRENCY = 16

/** One run's history as the decider writes it: sensor, evaluation, job start, SLA warning, success. */
function runHistory(run: RunKey): ReadonlyArray<RunEvent> {
  const config = dailyPipeline(run.pipelineId, { sla: { deadline: '09:00', expectedDuration: '30m' } })
  const attemptId = `${run.pipelineId}/${run.scheduleId}/${run.period}/1`
  const steps: ReadonlyArray<readonly [string, RunCommand]> = [
    [
      '2026-03-06T06:00:00Z',
      { _tag: 'RecordSensorReading', key: 'upstream-complete', data: { status: 'ready' } },
    ],
    ['2026-03-06T06:00:01Z', { _tag: 'EvaluateRun', attemptId: attemptId as never, evaluationNumber: 1 }],
    [
      '2026-03-06T06:00:05Z',
      {
        _tag: 'RecordJobStarted',
        attemptId: attemptId as never,
        triggerTry: 1,
        jobType: 'command',
        runId: 'jr-1',
        metadata: {},
        synchronous: false,
      },
    ],
    ['2026-03-06T08:30:00Z', { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' }],
    [
      '2026-03-06T08:45:00Z',
      { _tag: 'RecordJobCompletion', attemptId: attemptId as never, outcome: 'success' },
    ],
  ]
  let state = initialRunState
  const events: Array<RunEvent> = []
  for (const [now, command] of steps) {
    const decision = decideRun(command, state, {
      now: epochMillisOf(instantFromText(now)),
      run,
      config,
      configVersion: 1,
      paused: false,
    })
    if (decision._tag === 'Left') throw new Error(`${command._tag} rejected: ${decision.left.message}`)
    events.push(...decision.right)
    state = decision.right.reduce(evolveRun, state)
  }
  return events
}

async function main(): Promise<void> {
  const database = await createTestDatabase()
  const pool = new pg.Pool({ connectionString: database.url, max: APPEND_CONCURRENCY + 8 })
  const store = new EventStore({ pool, codec: makeEventCodec(InterlockEvent), notify: false })
  try {
    const runs: Array<RunKey> = Array.from({ length: RUNS }, (_, n) => ({
      pipelineId: `pipeline-${n % 200}`,
      scheduleId: 'default',
      period: `2026-03-${String(1 + Math.floor(n / 200)).padStart(2, '0')}`,
    }))
    let next = 0
    await Promise.all(
      Array.from({ length: APPEND_CONCURRENCY }, async () => {
        for (let n = next++; n < runs.length; n = next++) {
          const run = runs[n]!
          await store.append(runStreamId(run), 'no_stream', runHistory(run), {
            tags: {
              [EVENT_TAGS.pipelineId]: run.pipelineId,
              [EVENT_TAGS.scheduleId]: run.scheduleId,
              [EVENT_TAGS.period]: run.period,
            },
          })
        }
      }),
    )
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from events')
    const events = rows[0]!.n

    const replay = async (projections: ReadonlyArray<Projection<InterlockEvent>>) => {
      for (const projection of projections) await rebuildProjection(store, projection)
      const runner = new ProjectionRunner(store, projections)
      const started = performance.now()
      runner.start({ batchSize: Number(process.env.INTERLOCK_BENCH_BATCH ?? 500) })
      await runner.caughtUp()
      const seconds = (performance.now() - started) / 1000
      await runner.stop()
      return Math.round(events / seconds)
    }
    const eventsPerSecond: Record<string, number> = {}
    for (const projection of allProjections) {
      if (
        process.env.INTERLOCK_BENCH_ONLY !== undefined &&
        process.env.INTERLOCK_BENCH_ONLY !== projection.name
      )
        continue
      eventsPerSecond[projection.name] = await replay([projection])
    }
    // A processor either runs each projection on its own subscription, or all on one (combineProjections).
    eventsPerSecond.allSeparately = await replay(allProjections)
    eventsPerSecond.allCombined = await replay([combineProjections('interlock', allProjections)])
    console.log(
      JSON.stringify({ benchmark: 'projection catch-up', runs: RUNS, events, eventsPerSecond }, null, 2),
    )
  } finally {
    await store.close()
    await pool.end()
    await database.drop()
  }
}

await main()
