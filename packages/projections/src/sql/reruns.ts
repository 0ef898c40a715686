import type { Instant } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { instantOfDate } from './instants.ts'
import type { TimeKeyset } from './keyset.ts'

/** A row of `reruns` as pg returns it (int8 arrives as a string). */
export interface RerunRow {
  readonly id: string
  readonly request_id: string
  readonly pipeline_id: string
  readonly schedule_id: string
  readonly period: string
  readonly reason: string
  readonly outcome: 'accepted' | 'rejected'
  readonly why: string
  readonly attempt_id: string | null
  readonly used: number | null
  readonly budget: number | null
  readonly dry_run: boolean
  readonly decided_at: Date
}

/** One decided rerun request. */
export interface RerunView {
  /** The global position of the event that decided it. */
  readonly id: bigint
  readonly requestId: string
  readonly pipelineId: string
  readonly scheduleId: string
  readonly period: string
  readonly reason: string
  readonly outcome: 'accepted' | 'rejected'
  /** Why: the rule that refused it, or the circuit breaker's verdict when accepted. */
  readonly why: string
  /** The attempt an accepted rerun started (null when rejected, or for a dry run). */
  readonly attemptId: string | null
  /** Reruns of this reason already used, and its budget, when the decision counted them. */
  readonly used: number | null
  readonly budget: number | null
  /** A dry-run pipeline's decision: what a live one would have done; nothing was started. */
  readonly dryRun: boolean
  readonly decidedAt: Instant
}

const viewOf = (row: RerunRow): RerunView => ({
  id: BigInt(row.id),
  requestId: row.request_id,
  pipelineId: row.pipeline_id,
  scheduleId: row.schedule_id,
  period: row.period,
  reason: row.reason,
  outcome: row.outcome,
  why: row.why,
  attemptId: row.attempt_id,
  used: row.used,
  budget: row.budget,
  dryRun: row.dry_run,
  decidedAt: instantOfDate(row.decided_at),
})

/** Inserts a batch's decisions in one statement; a decision already stored is left as it is. */
export function insertReruns(db: Queryable, reruns: ReadonlyArray<RerunView>): Promise<unknown> {
  return db.query({
    name: 'projections_insert_reruns',
    text: `insert into reruns (id, request_id, pipeline_id, schedule_id, period, reason, outcome, why, attempt_id,
                               used, budget, dry_run, decided_at)
           select r.id, r.request_id, r.pipeline_id, r.schedule_id, r.period, r.reason, r.outcome, r.why,
                  r.attempt_id, r.used, r.budget, r.dry_run, r.decided_at
           from jsonb_to_recordset($1::jsonb) as r(id bigint, request_id text, pipeline_id text, schedule_id text,
             period text, reason text, outcome text, why text, attempt_id text, used integer, budget integer,
             dry_run boolean, decided_at timestamptz)
           on conflict do nothing`,
    values: [
      JSON.stringify(
        reruns.map((rerun) => ({
          id: rerun.id.toString(),
          request_id: rerun.requestId,
          pipeline_id: rerun.pipelineId,
          schedule_id: rerun.scheduleId,
          period: rerun.period,
          reason: rerun.reason,
          outcome: rerun.outcome,
          why: rerun.why,
          attempt_id: rerun.attemptId,
          used: rerun.used,
          budget: rerun.budget,
          dry_run: rerun.dryRun,
          decided_at: rerun.decidedAt,
        })),
      ),
    ],
  })
}

const COLUMNS = `id, request_id, pipeline_id, schedule_id, period, reason, outcome, why, attempt_id, used, budget,
  dry_run, decided_at`

/** Reruns newest first, of one pipeline or of all, after the keyset `before` (exclusive). */
export async function selectReruns(
  db: Queryable,
  options: { readonly pipelineId: string | null; readonly before: TimeKeyset | null; readonly limit: number },
): Promise<ReadonlyArray<RerunView>> {
  const values: Array<unknown> = []
  const where: Array<string> = []
  if (options.pipelineId !== null) {
    values.push(options.pipelineId)
    where.push(`pipeline_id = $${values.length}`)
  }
  if (options.before !== null) {
    values.push(options.before.at, options.before.id.toString())
    where.push(`(decided_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::bigint)`)
  }
  values.push(options.limit)
  const { rows } = await db.query<RerunRow>(
    `select ${COLUMNS} from reruns ${where.length === 0 ? '' : `where ${where.join(' and ')}`}
     order by decided_at desc, id desc limit $${values.length}`,
    values,
  )
  return rows.map(viewOf)
}

/** Every rerun request decided for one run, oldest first (a run's page shows them in the order they came). */
export async function selectRunReruns(
  db: Queryable,
  run: { readonly pipelineId: string; readonly scheduleId: string; readonly period: string },
): Promise<ReadonlyArray<RerunView>> {
  const { rows } = await db.query<RerunRow>({
    name: 'projections_run_reruns',
    text: `select ${COLUMNS} from reruns where pipeline_id = $1 and schedule_id = $2 and period = $3
           order by decided_at, id`,
    values: [run.pipelineId, run.scheduleId, run.period],
  })
  return rows.map(viewOf)
}
