import type { Queryable } from '@interlock/eventstore'
import type { RunStatus, SlaStatus } from '@interlock/projections'

// The dashboard's reads of the projections' tables (db/migrations/0002_projections.sql) that the
// projections package has no query for: the board in one statement, a run's reruns, the audit feed with a
// severity filter, and the log head the live feed watches. Values are always parameters.

/** One pipeline as the board shows it: its row, its newest run and its newest finished run. */
export interface BoardRow {
  readonly pipelineId: string
  readonly owner: string | null
  readonly description: string | null
  readonly paused: boolean
  readonly pauseReason: string | null
  readonly dryRun: boolean
  readonly hash: string
  /** `config -> 'validation'` as stored (encoded), decoded once per hash; null when not judged. */
  readonly validation: unknown
  /** The latest reading of each sensor key (empty when readiness is not judged). */
  readonly sensors: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  readonly run: {
    readonly scheduleId: string
    readonly period: string
    readonly status: RunStatus
    readonly attemptCount: number
    readonly rerunCount: number
    readonly slaBreachAt: Date | null
    readonly slaWarningAt: Date | null
    readonly slaStatus: SlaStatus | null
    readonly relativeSlaBreachAt: Date | null
    readonly relativeSlaStatus: SlaStatus | null
    readonly failureReason: string | null
  } | null
  readonly lastResult: {
    readonly scheduleId: string
    readonly period: string
    readonly status: RunStatus
    readonly finishedAt: Date | null
    readonly jobRunId: string | null
  } | null
}

interface BoardSqlRow {
  readonly pipeline_id: string
  readonly owner: string | null
  readonly description: string | null
  readonly paused: boolean
  readonly pause_reason: string | null
  readonly dry_run: boolean
  readonly hash: string
  readonly validation: unknown
  readonly sensors: Record<string, Record<string, unknown>> | null
  readonly schedule_id: string | null
  readonly period: string | null
  readonly status: RunStatus | null
  readonly attempt_count: number | null
  readonly rerun_count: number | null
  readonly sla_breach_at: Date | null
  readonly sla_warning_at: Date | null
  readonly sla_status: SlaStatus | null
  readonly relative_sla_breach_at: Date | null
  readonly relative_sla_status: SlaStatus | null
  readonly failure_reason: string | null
  readonly last_period: string | null
  readonly last_status: RunStatus | null
  readonly last_finished_at: Date | null
  readonly last_job_run_id: string | null
  readonly last_schedule_id: string | null
}

// Both lateral joins walk runs_pipeline_period_idx backwards from the newest period: one index probe per
// pipeline for the current run and, only when that run has not finished, a short scan for the newest
// finished one (the last job result). Only a pipeline whose period
// still waits for data (readiness is judged) carries its rules and latest sensors: the rest of a board of
// a thousand pipelines travels without them.
const BOARD = `
select p.pipeline_id, p.owner, p.description, p.paused, p.pause_reason, p.dry_run, p.hash,
       case when j.judged then p.config -> 'validation' end as validation,
       case when j.judged then (select jsonb_object_agg(s.sensor_key, s.data) from sensors_latest s
                                where s.pipeline_id = p.pipeline_id) end as sensors,
       r.schedule_id, r.period, r.status, r.attempt_count, r.rerun_count, r.sla_breach_at, r.sla_warning_at,
       r.sla_status, r.relative_sla_breach_at, r.relative_sla_status, r.failure_reason,
       coalesce(f.period, case when r.status in ('succeeded', 'failed', 'validation_exhausted') then r.period end)
         as last_period,
       coalesce(f.status, case when r.status in ('succeeded', 'failed', 'validation_exhausted') then r.status end)
         as last_status,
       case when f.period is null then r.finished_at else f.finished_at end as last_finished_at,
       case when f.period is null then r.job_run_id else f.job_run_id end as last_job_run_id,
       case when f.period is null then r.schedule_id else f.schedule_id end as last_schedule_id
from pipelines p
left join lateral (
  select schedule_id, period, status, attempt_count, rerun_count, sla_breach_at, sla_warning_at, sla_status,
         relative_sla_breach_at, relative_sla_status, failure_reason, finished_at, job_run_id
  from runs where runs.pipeline_id = p.pipeline_id order by period desc, schedule_id limit 1
) r on true
left join lateral (
  select schedule_id, period, status, finished_at, job_run_id from runs
  where r.status not in ('succeeded', 'failed', 'validation_exhausted')
    and runs.pipeline_id = p.pipeline_id and status in ('succeeded', 'failed', 'validation_exhausted')
  order by period desc, schedule_id limit 1
) f on true
cross join lateral (
  select p.paused or p.dry_run or r.status is null or r.status in ('waiting', 'evaluating') as judged
) j
where not p.removed and ($1::text is null or p.owner = $1)
order by p.pipeline_id`

/** Every registered pipeline (of one owner when given), with its newest run and newest finished run. */
export async function selectBoard(db: Queryable, owner: string | null): Promise<ReadonlyArray<BoardRow>> {
  const { rows } = await db.query<BoardSqlRow>({ name: 'dashboard_board', text: BOARD, values: [owner] })
  return rows.map((row) => ({
    pipelineId: row.pipeline_id,
    owner: row.owner,
    description: row.description,
    paused: row.paused,
    pauseReason: row.pause_reason,
    dryRun: row.dry_run,
    hash: row.hash,
    validation: row.validation,
    sensors: row.sensors ?? {},
    run:
      row.period === null || row.status === null
        ? null
        : {
            scheduleId: row.schedule_id ?? 'default',
            period: row.period,
            status: row.status,
            attemptCount: row.attempt_count ?? 0,
            rerunCount: row.rerun_count ?? 0,
            slaBreachAt: row.sla_breach_at,
            slaWarningAt: row.sla_warning_at,
            slaStatus: row.sla_status,
            relativeSlaBreachAt: row.relative_sla_breach_at,
            relativeSlaStatus: row.relative_sla_status,
            failureReason: row.failure_reason,
          },
    lastResult:
      row.last_period === null || row.last_status === null
        ? null
        : {
            scheduleId: row.last_schedule_id ?? 'default',
            period: row.last_period,
            status: row.last_status,
            finishedAt: row.last_finished_at,
            jobRunId: row.last_job_run_id,
          },
  }))
}

/** The distinct owners of registered pipelines, for the board's filter. */
export async function selectOwners(db: Queryable): Promise<ReadonlyArray<string>> {
  const { rows } = await db.query<{ owner: string }>({
    name: 'dashboard_owners',
    text: 'select distinct owner from pipelines where not removed and owner is not null order by owner',
    values: [],
  })
  return rows.map((row) => row.owner)
}

/** One cell of a pipeline's timeline. */
export interface TimelineRun {
  readonly scheduleId: string
  readonly period: string
  readonly status: RunStatus
  readonly attemptCount: number
  readonly rerunCount: number
  readonly slaBreached: boolean
  readonly dryRun: boolean
}

/** The newest `limit` runs of a pipeline (every schedule), newest period first. */
export async function selectTimeline(
  db: Queryable,
  pipelineId: string,
  limit: number,
): Promise<ReadonlyArray<TimelineRun>> {
  const { rows } = await db.query<{
    schedule_id: string
    period: string
    status: RunStatus
    attempt_count: number
    rerun_count: number
    breached: boolean
    dry_run: boolean
  }>({
    name: 'dashboard_timeline',
    text: `select schedule_id, period, status, attempt_count, rerun_count, dry_run,
                  (coalesce(sla_status, '') = 'breached' or coalesce(relative_sla_status, '') = 'breached') as breached
           from runs where pipeline_id = $1 order by period desc, schedule_id limit $2`,
    values: [pipelineId, limit],
  })
  return rows.map((row) => ({
    scheduleId: row.schedule_id,
    period: row.period,
    status: row.status,
    attemptCount: row.attempt_count,
    rerunCount: row.rerun_count,
    slaBreached: row.breached,
    dryRun: row.dry_run,
  }))
}

/**
 * How far the read models are: the highest position any projection has applied, plus the newest dead
 * letter's id and redrive (written outside the log). Cheap: a handful of rows, read once per tick for all
 * live clients.
 */
export async function selectReadModelHead(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ head: string }>({
    name: 'dashboard_read_model_head',
    text: `select concat_ws(':',
             (select coalesce(max(global_position), 0) from event_subscriptions),
             (select coalesce(max(id), 0) from dead_letters),
             (select coalesce(max(redriven_at)::text, '') from dead_letters)) as head`,
    values: [],
  })
  return rows[0]?.head ?? '0'
}
