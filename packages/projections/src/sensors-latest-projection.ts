import type { InterlockEvent } from '@interlock/domain'
import { runKeyOf } from './event-tags.ts'
import type { Projection } from './projection.ts'
import { type SensorReadingView, upsertLatestSensors } from './sql/sensors-latest.ts'

/**
 * `sensors_latest`: the latest reading of each sensor key of each pipeline (the original's SENSOR#<key>
 * row), whichever run stream it was recorded in. Latest means the latest `at`, and on a tie the later in
 * the log, so a rebuild chooses the same reading whatever its batch boundaries.
 */
export const sensorsLatestProjection: Projection<InterlockEvent> = {
  name: 'sensors-latest',
  tables: ['sensors_latest'],
  apply: async (events, tx) => {
    const latest = new Map<string, SensorReadingView>()
    for (const recorded of events) {
      // Checked on the stored type first: the other events are never decoded here.
      if (recorded.type !== 'SensorReadingRecorded') continue
      const event = recorded.event
      if (event._tag !== 'SensorReadingRecorded') continue
      const run = runKeyOf(recorded)
      const identity = JSON.stringify([run.pipelineId, event.key])
      // One row per key (a single upsert may not touch a row twice): the latest recorded, the later in
      // the log on a tie, exactly as the upsert decides against the stored row.
      const kept = latest.get(identity)
      if (kept !== undefined && kept.recordedAt > event.at) continue
      latest.set(identity, {
        pipelineId: run.pipelineId,
        key: event.key,
        scheduleId: run.scheduleId,
        period: run.period,
        data: event.data,
        recordedAt: event.at,
        source: recorded.metadata.actor ?? null,
      })
    }
    if (latest.size > 0) await upsertLatestSensors(tx, [...latest.values()])
  },
}
