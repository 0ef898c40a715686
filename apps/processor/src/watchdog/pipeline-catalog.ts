import { PipelineConfig, pipelineSchedules } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { Schema } from 'effect'
import { selectPipelineConfigs, selectWatchedPipelines } from './sql.ts'
import type { WatchedPipeline } from './watchdog-check.ts'

const decodeConfig = Schema.decodeUnknownSync(PipelineConfig)

interface Decoded {
  readonly config: PipelineConfig
  readonly schedules: WatchedPipeline['schedules']
}

/**
 * The pipelines the watchdog looks after, read from the `pipelines` projection. Decoding a config costs far
 * more than reading its row, so decoded configs are kept by content hash and only a changed one is read and
 * decoded again: a scan of 10,000 unchanged pipelines reads one narrow row each.
 */
export class PipelineCatalog {
  private readonly decoded = new Map<string, { readonly hash: string } & Decoded>()

  /** `skipped` hears of a stored config that does not decode: that pipeline alone is left out (§5.1). */
  async load(
    db: Queryable,
    skipped: (pipelineId: string, error: unknown) => void,
  ): Promise<ReadonlyArray<WatchedPipeline>> {
    const rows = await selectWatchedPipelines(db)
    const stale = rows.filter((row) => this.decoded.get(row.pipelineId)?.hash !== row.hash)
    if (stale.length > 0) {
      for (const stored of await selectPipelineConfigs(
        db,
        stale.map((row) => row.pipelineId),
      )) {
        try {
          const config = decodeConfig(stored.config)
          this.decoded.set(stored.pipelineId, {
            hash: stored.hash,
            config,
            schedules: pipelineSchedules(config),
          })
        } catch (error) {
          skipped(stored.pipelineId, error)
        }
      }
    }
    const watched = new Set<string>()
    const pipelines: WatchedPipeline[] = []
    for (const row of rows) {
      watched.add(row.pipelineId)
      const decoded = this.decoded.get(row.pipelineId)
      // A config changed between the two reads: the next scan sees it.
      if (decoded === undefined || decoded.hash !== row.hash) continue
      pipelines.push({
        pipelineId: row.pipelineId,
        version: row.version,
        dryRun: row.dryRun,
        monitoringSince: row.monitoringSince,
        config: decoded.config,
        schedules: decoded.schedules,
      })
    }
    for (const pipelineId of this.decoded.keys())
      if (!watched.has(pipelineId)) this.decoded.delete(pipelineId)
    return pipelines
  }
}
