import {
  evolveRun,
  InterlockEvent,
  initialRunState,
  type RunEvent,
  type RunState,
  runStreamId,
} from '@interlock/domain'
import { EventStore, makeEventCodec } from '@interlock/eventstore'
import { rebuildProjection } from '@interlock/projections'
import { CommandFailed } from './cli-error.ts'
import { openDatabase } from './database.ts'
import { READ_MODELS } from './interlock-server.ts'
import type { CliIo } from './io.ts'

/**
 * `interlock replay <pipeline> <period>`: folds the run's stream from the log and prints the state after
 * each event, as the deciders saw it (seed: "replaying the log to debug drift decisions").
 */
export const replay = async (
  io: CliIo,
  run: { readonly pipelineId: string; readonly period: string; readonly schedule: string | undefined },
  json: boolean,
): Promise<number> => {
  const database = await openDatabase(io)
  const store = new EventStore({ pool: database.pool, codec: makeEventCodec(InterlockEvent), notify: false })
  try {
    const streamId = runStreamId({
      pipelineId: run.pipelineId,
      scheduleId: run.schedule ?? 'default',
      period: run.period,
    })
    const recorded = await store.readStream(streamId)
    if (recorded.length === 0) {
      throw new CommandFailed({
        problem: `no events for ${streamId}: check the pipeline id, the period (YYYY-MM-DD or YYYY-MM-DDTHH) and --schedule`,
      })
    }
    let state: RunState = initialRunState
    const steps = recorded.map((entry) => {
      state = evolveRun(state, entry.event as RunEvent)
      return {
        version: entry.streamVersion,
        recordedAt: entry.recordedAt.toISOString(),
        type: entry.type,
        state,
      }
    })
    if (json)
      io.out(JSON.stringify(steps.map((step) => ({ ...step, event: recorded[step.version - 1]?.event }))))
    else
      for (const step of steps)
        io.out(
          `${String(step.version).padStart(4)}  ${step.recordedAt}  ${step.type.padEnd(28)} → ${summary(step.state)}`,
        )
    return 0
  } finally {
    await store.close()
    await database.close()
  }
}

/** The lifecycle, attempts, and SLA of a folded run, on one line. */
const summary = (state: RunState): string => {
  const parts = [state.lifecycle.status, `attempts ${state.attempts}`]
  return parts.join(', ')
}

/** `interlock projections rebuild`: empties the read models and replays the whole log into them. */
export const rebuildProjections = async (io: CliIo, json: boolean): Promise<number> => {
  const database = await openDatabase(io)
  const store = new EventStore({ pool: database.pool, codec: makeEventCodec(InterlockEvent), notify: false })
  try {
    await rebuildProjection(store, READ_MODELS)
    const message = `read models reset: ${READ_MODELS.tables.join(', ')}; a running processor replays the log into them now`
    io.out(json ? JSON.stringify({ rebuilt: READ_MODELS.name, tables: READ_MODELS.tables }) : message)
    return 0
  } finally {
    await store.close()
    await database.close()
  }
}
