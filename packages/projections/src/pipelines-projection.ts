import { encodePipelineConfig, type InterlockEvent, type PipelineConfig } from '@interlock/domain'
import { isPipelineEvent, pipelineIdOf } from './event-tags.ts'
import type { Projection } from './projection.ts'
import {
  markPipelineRemoved,
  type PipelineConfigWrite,
  setPipelinePaused,
  updatePipelineConfig,
  upsertRegisteredPipeline,
} from './sql/pipelines.ts'

const configWrite = (
  pipelineId: string,
  event: { readonly at: PipelineConfigWrite['at']; readonly version: number; readonly hash: string },
  config: PipelineConfig,
): PipelineConfigWrite => ({
  pipelineId,
  config: encodePipelineConfig(config),
  version: event.version,
  hash: event.hash,
  owner: config.pipeline.owner ?? null,
  description: config.pipeline.description ?? null,
  dryRun: config.dryRun,
  at: event.at,
})

/**
 * `pipelines`: each pipeline's current config, version, hash and flags, from its pipeline stream.
 * Pipeline events are rare (config changes, pauses), so each is written as it comes, in log order.
 */
export const pipelinesProjection: Projection<InterlockEvent> = {
  name: 'pipelines',
  tables: ['pipelines'],
  apply: async (events, tx) => {
    for (const recorded of events) {
      if (!isPipelineEvent(recorded)) continue
      const pipelineId = pipelineIdOf(recorded)
      const event = recorded.event
      switch (event._tag) {
        case 'PipelineConfigRegistered':
          await upsertRegisteredPipeline(tx, configWrite(pipelineId, event, event.config))
          break
        case 'PipelineConfigChanged':
          await updatePipelineConfig(tx, configWrite(pipelineId, event, event.config))
          break
        case 'PipelineConfigRemoved':
          await markPipelineRemoved(tx, pipelineId, event.version, event.at)
          break
        case 'PipelinePaused':
          await setPipelinePaused(tx, pipelineId, true, event.reason ?? null, event.at)
          break
        case 'PipelineResumed':
          await setPipelinePaused(tx, pipelineId, false, null, event.at)
          break
      }
    }
  },
}
