import { createTestDatabase, type TestDatabase } from '@interlock/db'
import {
  DEFAULT_SCHEDULE,
  decidePipeline,
  decideRun,
  EVENT_TAGS,
  epochMillisOf,
  evolvePipeline,
  evolveRun,
  InterlockEvent,
  initialPipelineState,
  initialRunState,
  instantFromText,
  type PipelineCommand,
  PipelineConfig,
  type PipelineConfigJson,
  type PipelineEvent,
  type PipelineRejection,
  type PipelineState,
  pipelineStreamId,
  type RunCommand,
  type RunContext,
  type RunEvent,
  type RunKey,
  type RunRejection,
  type RunState,
  runStreamId,
} from '@interlock/domain'
import { type Decider, EventStore, handleCommand, makeEventCodec } from '@interlock/eventstore'
import { Schema } from 'effect'
import pg from 'pg'
import { allProjections } from '../all-projections.ts'
import { type Projection, subscriptionName } from '../projection.ts'
import { ProjectionRunner, type RunnerOptions, rebuildProjection } from '../projection-runner.ts'

// Builds event histories the way production does: commands through the real deciders and the command
// handler, appended with the metadata tags the command bus writes. Nothing here fakes an event.

const runDecider: Decider<RunCommand, RunState, RunEvent, RunRejection, RunContext> = {
  initialState: () => initialRunState,
  evolve: evolveRun,
  decide: decideRun,
}

const pipelineDecider: Decider<
  PipelineCommand,
  PipelineState,
  PipelineEvent,
  PipelineRejection,
  { readonly pipelineId: string; readonly now: number }
> = {
  initialState: () => initialPipelineState,
  evolve: evolvePipeline,
  decide: decidePipeline,
}

/** A config from JSON, as a registration would decode it. */
export const pipelineConfig = (json: PipelineConfigJson | Record<string, unknown>): PipelineConfig =>
  Schema.decodeUnknownSync(PipelineConfig)(json)

/** A daily pipeline triggered by `upstream-complete` status `ready`, with the given overrides. */
export const dailyPipeline = (pipelineId: string, overrides: Record<string, unknown> = {}): PipelineConfig =>
  pipelineConfig({
    pipeline: { id: pipelineId },
    schedule: {
      trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
      evaluation: { window: '1h', interval: '5m' },
    },
    validation: {
      trigger: 'ALL',
      rules: [{ key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' }],
    },
    job: { type: 'command', config: { command: 'run-etl --date {{date}}' }, maxRetries: 2 },
    ...overrides,
  })

export const runOf = (pipelineId: string, period: string, scheduleId = DEFAULT_SCHEDULE): RunKey => ({
  pipelineId,
  scheduleId,
  period,
})

let commandCount = 0

/** Sends commands to the real deciders through the command handler, each at its own instant. */
export class EventHistory {
  readonly store: EventStore<InterlockEvent>
  private readonly pipelines = new Map<string, { config: PipelineConfig; version: number; paused: boolean }>()

  constructor(store: EventStore<InterlockEvent>) {
    this.store = store
  }

  /** Sends a pipeline command at `now`; a rejection is a mistake in the test and throws. */
  async pipeline(pipelineId: string, command: PipelineCommand, now: string): Promise<void> {
    const outcome = await handleCommand(this.store, pipelineDecider, pipelineStreamId(pipelineId), command, {
      context: () => ({ pipelineId, now: epochMillisOf(instantFromText(now)) }),
      commandId: `test-${++commandCount}`,
      actor: 'test',
      tags: { [EVENT_TAGS.pipelineId]: pipelineId },
    })
    if (outcome._tag === 'Rejected')
      throw new Error(`${command._tag} was rejected: ${outcome.rejection.message}`)
    let state = initialPipelineState
    for (const { event } of await this.store.readStream(pipelineStreamId(pipelineId))) {
      state = evolvePipeline(state, event as PipelineEvent)
    }
    if (state.status === 'Registered') {
      this.pipelines.set(pipelineId, { config: state.config, version: state.version, paused: state.paused })
    } else {
      this.pipelines.delete(pipelineId)
    }
  }

  register(config: PipelineConfig, now: string): Promise<void> {
    return this.pipeline(config.pipeline.id, { _tag: 'RegisterPipelineConfig', config }, now)
  }

  /** Sends run commands one after another, each at its instant, under the pipeline's registered config. */
  async run(
    run: RunKey,
    steps: ReadonlyArray<readonly [now: string, command: RunCommand]>,
    actor = 'test',
  ): Promise<void> {
    const pipeline = this.pipelines.get(run.pipelineId)
    if (pipeline === undefined) throw new Error(`register ${run.pipelineId} before sending it run commands`)
    for (const [now, command] of steps) {
      const outcome = await handleCommand(this.store, runDecider, runStreamId(run), command, {
        context: () => ({
          now: epochMillisOf(instantFromText(now)),
          run,
          config: pipeline.config,
          configVersion: pipeline.version,
          paused: pipeline.paused,
        }),
        commandId: `test-${++commandCount}`,
        actor,
        configVersion: pipeline.version,
        tags: {
          [EVENT_TAGS.pipelineId]: run.pipelineId,
          [EVENT_TAGS.scheduleId]: run.scheduleId,
          [EVENT_TAGS.period]: run.period,
        },
      })
      if (outcome._tag === 'Rejected') {
        throw new Error(`${command._tag} at ${now} was rejected: ${outcome.rejection.message}`)
      }
    }
  }
}

/** A migrated database of its own, an event store on it, and the projections' runner. */
export interface Testbed {
  readonly pool: pg.Pool
  readonly store: EventStore<InterlockEvent>
  readonly history: EventHistory
  /** Starts the projections (again, all of them unless told which); `caughtUp` then waits for them. */
  readonly start: (options?: RunnerOptions, projections?: ReadonlyArray<Projection<InterlockEvent>>) => void
  readonly caughtUp: () => Promise<void>
  readonly stop: () => Promise<void>
  /** Empties projections (all unless told which) and resets their checkpoints: the runner replays the log. */
  readonly rebuild: (projections?: ReadonlyArray<Projection<InterlockEvent>>) => Promise<void>
  readonly close: () => Promise<void>
}

const CATCH_UP_ROUNDS = 1_000

async function everyCheckpointAtEnd(
  pool: pg.Pool,
  projections: ReadonlyArray<Projection<InterlockEvent>>,
): Promise<boolean> {
  const { rows } = await pool.query<{ at_end: number }>(
    `select count(*)::int as at_end from event_subscriptions s
     where s.name = any($1::text[])
       and s.global_position = coalesce(
         (select global_position from events order by transaction_id desc, global_position desc limit 1), 0)`,
    [projections.map(subscriptionName)],
  )
  return rows[0]?.at_end === projections.length
}

export async function createTestbed(): Promise<Testbed> {
  const database: TestDatabase = await createTestDatabase()
  const pool = new pg.Pool({ connectionString: database.url, max: 12 })
  const store = new EventStore({ pool, codec: makeEventCodec(InterlockEvent) })
  let runner: ProjectionRunner<InterlockEvent> | undefined
  let running: ReadonlyArray<Projection<InterlockEvent>> = []
  // A failing projection retries forever; the first failure fails the wait instead of letting it hang.
  let failed: (error: Error) => void = () => {}
  const failure = new Promise<never>((_, reject) => {
    failed = reject
  })
  failure.catch(() => {})
  const stop = async () => {
    await runner?.stop()
    runner = undefined
  }
  return {
    pool,
    store,
    history: new EventHistory(store),
    start: (options = {}, projections = allProjections) => {
      running = projections
      runner = new ProjectionRunner(store, projections)
      runner.start({
        ...options,
        onError: (projection, error) =>
          failed(new Error(`projection ${projection} failed: ${String(error)}`)),
      })
    },
    caughtUp: async () => {
      if (runner === undefined) throw new Error('start the projections before waiting for them')
      // Subscription.caughtUp can resolve while an event committed before the call is still held back
      // behind another transaction in flight (a sibling projection's batch): wait until every projection's
      // checkpoint is the log's last event.
      for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
        await Promise.race([runner.caughtUp(), failure])
        if (await everyCheckpointAtEnd(pool, running)) return
      }
      throw new Error(`the projections did not reach the end of the log in ${CATCH_UP_ROUNDS} rounds`)
    },
    stop,
    rebuild: async (projections = allProjections) => {
      for (const projection of projections) await rebuildProjection(store, projection)
    },
    close: async () => {
      await stop()
      await store.close()
      await pool.end()
      await database.drop()
    },
  }
}

/** Every row of a table in a stable order, with timestamps as ISO text, for row-for-row comparisons. */
export async function tableRows(
  pool: pg.Pool,
  table: string,
  orderBy: string,
): Promise<ReadonlyArray<unknown>> {
  const { rows } = await pool.query(`select * from ${table} order by ${orderBy}`)
  return rows
}
