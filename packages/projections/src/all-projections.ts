import type { InterlockEvent } from '@interlock/domain'
import { auditEventsProjection } from './audit-events-projection.ts'
import { pipelinesProjection } from './pipelines-projection.ts'
import type { Projection } from './projection.ts'
import { rerunsProjection } from './reruns-projection.ts'
import { runsProjection } from './runs-projection.ts'
import { sensorsLatestProjection } from './sensors-latest-projection.ts'

/** Every read model of Interlock: what a processor runs (`ProjectionRunner`) and what a rebuild replays. */
export const allProjections: ReadonlyArray<Projection<InterlockEvent>> = [
  pipelinesProjection,
  sensorsLatestProjection,
  runsProjection,
  rerunsProjection,
  auditEventsProjection,
]
