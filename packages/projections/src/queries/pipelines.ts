import type { Queryable } from '@interlock/eventstore'
import { type PipelineSummary, type PipelineView, selectPipeline, selectPipelines } from '../sql/pipelines.ts'
import { pipelineCursor } from './keysets.ts'
import { type Page, pageSize, readPage } from './page.ts'

/** Pipelines in id order; removed ones only with `includeRemoved`. */
export async function listPipelines(
  db: Queryable,
  options: { readonly includeRemoved?: boolean; readonly cursor?: string; readonly limit?: number } = {},
): Promise<Page<PipelineSummary>> {
  const after = pipelineCursor.decode(options.cursor)
  return readPage(
    pageSize(options.limit),
    (limit) =>
      selectPipelines(db, {
        afterId: after?.[0] ?? null,
        includeRemoved: options.includeRemoved ?? false,
        limit,
      }),
    (last) => pipelineCursor.encode([last.pipelineId]),
  )
}

/** One pipeline with its current config, or null when it was never registered. */
export function getPipeline(db: Queryable, pipelineId: string): Promise<PipelineView | null> {
  return selectPipeline(db, pipelineId)
}
