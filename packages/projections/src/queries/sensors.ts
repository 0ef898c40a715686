import type { Queryable } from '@interlock/eventstore'
import { type SensorReadingView, selectLatestSensors } from '../sql/sensors-latest.ts'

/** The latest reading of every sensor key of a pipeline, by key (empty when it has none). */
export function latestSensors(db: Queryable, pipelineId: string): Promise<ReadonlyArray<SensorReadingView>> {
  return selectLatestSensors(db, pipelineId)
}
