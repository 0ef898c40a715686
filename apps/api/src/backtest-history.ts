import { type InterlockEvent, type RecordedRun, type RunEvent, runStreamId } from '@interlock/domain'
import type { EventStore, Queryable } from '@interlock/eventstore'
import { listRuns, MAX_PAGE_SIZE } from '@interlock/projections'

/** The periods to backtest: every schedule, dates `from`..`to` inclusive (either end open when absent). */
export interface PeriodRange {
  readonly scheduleId?: string | undefined
  readonly from?: string | undefined
  readonly to?: string | undefined
}

/** Streams read at once: enough to hide round trips, few enough to leave the pool to others. */
const READ_CONCURRENCY = 8

/**
 * The recorded run streams of a pipeline's periods in the range, oldest period first: the runs read model
 * lists the periods, the log gives each stream with the command id of every append. Reads only.
 */
export async function recordedRuns(
  readModels: Queryable,
  events: Pick<EventStore<InterlockEvent>, 'readStream'>,
  pipelineId: string,
  range: PeriodRange,
): Promise<ReadonlyArray<RecordedRun>> {
  const keys: Array<{ pipelineId: string; scheduleId: string; period: string }> = []
  let cursor: string | undefined
  for (;;) {
    const page = await listRuns(readModels, pipelineId, {
      limit: MAX_PAGE_SIZE,
      ...(range.scheduleId === undefined ? {} : { scheduleId: range.scheduleId }),
      ...(cursor === undefined ? {} : { cursor }),
    })
    for (const run of page.items) {
      const date = run.period.slice(0, 10)
      if ((range.to === undefined || date <= range.to) && (range.from === undefined || date >= range.from))
        keys.push({ pipelineId, scheduleId: run.scheduleId, period: run.period })
    }
    const oldest = page.items.at(-1)?.period.slice(0, 10)
    if (page.nextCursor === null || (range.from !== undefined && oldest !== undefined && oldest < range.from))
      break
    cursor = page.nextCursor
  }
  keys.reverse()
  const runs: RecordedRun[] = new Array(keys.length)
  let next = 0
  const lane = async () => {
    for (let index = next++; index < keys.length; index = next++) {
      const run = keys[index]!
      const stream = await events.readStream(runStreamId(run))
      runs[index] = {
        run,
        events: stream.map((recorded) => ({
          event: recorded.event as RunEvent,
          commandId: recorded.metadata.commandId,
        })),
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, keys.length) }, lane))
  return runs
}
