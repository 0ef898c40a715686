import type { RunKey } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import {
  type AttemptView,
  type RunStatus,
  type RunView,
  selectAttemptsByRun,
  selectRunsByKey,
  selectRunsOfPipeline,
} from '../sql/runs.ts'
import { runCursor } from './keysets.ts'
import { type Page, pageSize, readPage } from './page.ts'

/** A run with every one of its attempts, in attempt order. */
export interface RunWithAttempts {
  readonly run: RunView
  readonly attempts: ReadonlyArray<AttemptView>
}

/** A pipeline's runs, newest period first (then by schedule name), optionally of one schedule or status. */
export async function listRuns(
  db: Queryable,
  pipelineId: string,
  options: {
    readonly scheduleId?: string
    readonly status?: RunStatus
    readonly cursor?: string
    readonly limit?: number
  } = {},
): Promise<Page<RunView>> {
  const after = runCursor.decode(options.cursor)
  return readPage(
    pageSize(options.limit),
    (limit) =>
      selectRunsOfPipeline(db, {
        pipelineId,
        scheduleId: options.scheduleId ?? null,
        status: options.status ?? null,
        after,
        limit,
      }),
    (last) => runCursor.encode({ period: last.period, scheduleId: last.scheduleId }),
  )
}

/** One run and its attempts, or null when the log has no event of it. */
export async function getRun(db: Queryable, run: RunKey): Promise<RunWithAttempts | null> {
  const [found] = await selectRunsByKey(db, [run])
  if (found === undefined) return null
  return { run: found, attempts: await selectAttemptsByRun(db, [run]) }
}
