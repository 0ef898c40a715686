import { type Instant, PipelineConfig } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { Schema } from 'effect'
import { instantOfDate } from './instants.ts'

/** A row of `pipelines` as pg returns it. */
export interface PipelineRow {
  readonly pipeline_id: string
  readonly config: unknown
  readonly version: number
  readonly hash: string
  readonly paused: boolean
  readonly pause_reason: string | null
  readonly removed: boolean
  readonly owner: string | null
  readonly description: string | null
  readonly dry_run: boolean
  readonly monitoring_since: Date
  readonly updated_at: Date
}

/** A pipeline without its config: what listings show. */
export interface PipelineSummary {
  readonly pipelineId: string
  readonly version: number
  readonly hash: string
  readonly paused: boolean
  readonly pauseReason: string | null
  readonly removed: boolean
  readonly owner: string | null
  readonly description: string | null
  readonly dryRun: boolean
  /** When the pipeline was (last) registered: "monitoring since" of the watchdog (D10). */
  readonly monitoringSince: Instant
  readonly updatedAt: Instant
}

/** A pipeline with its current config, decoded. */
export interface PipelineView extends PipelineSummary {
  readonly config: PipelineConfig
}

const decodeConfig = Schema.decodeUnknownSync(PipelineConfig)

const summaryOf = (row: PipelineRow): PipelineSummary => ({
  pipelineId: row.pipeline_id,
  version: row.version,
  hash: row.hash,
  paused: row.paused,
  pauseReason: row.pause_reason,
  removed: row.removed,
  owner: row.owner,
  description: row.description,
  dryRun: row.dry_run,
  monitoringSince: instantOfDate(row.monitoring_since),
  updatedAt: instantOfDate(row.updated_at),
})

/** The stored config was encoded from a valid PipelineConfig by the projection, so it decodes back. */
const viewOf = (row: PipelineRow): PipelineView => ({ ...summaryOf(row), config: decodeConfig(row.config) })

/** What a registration or a config change writes. */
export interface PipelineConfigWrite {
  readonly pipelineId: string
  /** The config encoded as JSON (`encodePipelineConfig`). */
  readonly config: unknown
  readonly version: number
  readonly hash: string
  readonly owner: string | null
  readonly description: string | null
  readonly dryRun: boolean
  readonly at: Instant
}

const configValues = (write: PipelineConfigWrite) => [
  write.pipelineId,
  JSON.stringify(write.config),
  write.version,
  write.hash,
  write.owner,
  write.description,
  write.dryRun,
  write.at,
]

/** A (re-)registration: a fresh row, running, with monitoring since now (D10). */
export function upsertRegisteredPipeline(db: Queryable, write: PipelineConfigWrite): Promise<unknown> {
  return db.query({
    name: 'projections_pipeline_registered',
    text: `insert into pipelines (pipeline_id, config, version, hash, paused, pause_reason, removed, owner,
                                  description, dry_run, monitoring_since, updated_at)
           values ($1, $2::jsonb, $3, $4, false, null, false, $5, $6, $7, $8, $8)
           on conflict (pipeline_id) do update set
             config = excluded.config, version = excluded.version, hash = excluded.hash, paused = false,
             pause_reason = null, removed = false, owner = excluded.owner, description = excluded.description,
             dry_run = excluded.dry_run, monitoring_since = excluded.monitoring_since,
             updated_at = excluded.updated_at`,
    values: configValues(write),
  })
}

/** A new config version of a registered pipeline (a removed one ignores it, as its stream's state does). */
export function updatePipelineConfig(db: Queryable, write: PipelineConfigWrite): Promise<unknown> {
  return db.query({
    name: 'projections_pipeline_changed',
    text: `update pipelines set config = $2::jsonb, version = $3, hash = $4, owner = $5, description = $6,
                                dry_run = $7, updated_at = $8
           where pipeline_id = $1 and not removed`,
    values: configValues(write),
  })
}

export function markPipelineRemoved(
  db: Queryable,
  pipelineId: string,
  version: number,
  at: Instant,
): Promise<unknown> {
  return db.query({
    name: 'projections_pipeline_removed',
    text: `update pipelines set removed = true, paused = false, pause_reason = null, version = $2, updated_at = $3
           where pipeline_id = $1`,
    values: [pipelineId, version, at],
  })
}

/** Pauses (with its reason) or resumes a registered pipeline. */
export function setPipelinePaused(
  db: Queryable,
  pipelineId: string,
  paused: boolean,
  reason: string | null,
  at: Instant,
): Promise<unknown> {
  return db.query({
    name: 'projections_pipeline_paused',
    text: `update pipelines set paused = $2, pause_reason = $3, updated_at = $4
           where pipeline_id = $1 and not removed`,
    values: [pipelineId, paused, reason, at],
  })
}

const SUMMARY_COLUMNS = `pipeline_id, version, hash, paused, pause_reason, removed, owner, description, dry_run,
  monitoring_since, updated_at`

/** Pipelines in id order after `afterId`; removed ones only when asked. */
export async function selectPipelines(
  db: Queryable,
  options: { readonly afterId: string | null; readonly includeRemoved: boolean; readonly limit: number },
): Promise<ReadonlyArray<PipelineSummary>> {
  const { rows } = await db.query<PipelineRow>({
    name: 'projections_select_pipelines',
    text: `select ${SUMMARY_COLUMNS}, null as config from pipelines
           where ($1::text is null or pipeline_id > $1) and ($2 or not removed)
           order by pipeline_id
           limit $3`,
    values: [options.afterId, options.includeRemoved, options.limit],
  })
  return rows.map(summaryOf)
}

export async function selectPipeline(db: Queryable, pipelineId: string): Promise<PipelineView | null> {
  const { rows } = await db.query<PipelineRow>({
    name: 'projections_select_pipeline',
    text: `select ${SUMMARY_COLUMNS}, config from pipelines where pipeline_id = $1`,
    values: [pipelineId],
  })
  const row = rows[0]
  return row === undefined ? null : viewOf(row)
}
