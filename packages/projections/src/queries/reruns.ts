import type { Queryable } from '@interlock/eventstore'
import { type RerunView, selectReruns } from '../sql/reruns.ts'
import { timeCursor } from './keysets.ts'
import { type Page, pageSize, readPage } from './page.ts'

/** Decided rerun requests newest first, of one pipeline or of all. */
export async function listReruns(
  db: Queryable,
  options: { readonly pipelineId?: string; readonly cursor?: string; readonly limit?: number } = {},
): Promise<Page<RerunView>> {
  const before = timeCursor.decode(options.cursor)
  return readPage(
    pageSize(options.limit),
    (limit) => selectReruns(db, { pipelineId: options.pipelineId ?? null, before, limit }),
    (last) => timeCursor.encode({ at: last.decidedAt, id: last.id }),
  )
}
