import type { FailureCategory, Instant, RunKey } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { instantOfDate, instantOrNull } from './instants.ts'

/** Where a run is (the run log's vocabulary; `docs`: packages/projections/README.md). */
export type RunStatus =
  | 'waiting'
  | 'evaluating'
  | 'triggering'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'validation_exhausted'
  | 'excluded'

/** Where one attempt is; `superseded` when a newer attempt replaced it while it was live (L1). */
export type AttemptStatus =
  | 'evaluating'
  | 'triggering'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'validation_exhausted'
  | 'superseded'

/** Why a run or an attempt failed. */
export type FailureReason =
  | 'job-failed'
  | 'job-timeout'
  | 'job-poll-exhausted'
  | 'lock-expired'
  | 'trigger-retries-exhausted'
  | 'trigger-window-closed'

export type SlaStatus = 'pending' | 'warning' | 'breached' | 'met'

export type PostRunStatus = 'baseline-captured' | 'passed' | 'failed' | 'drift' | 'sensor-missing'

/** One SLA clock of a run: its stored instants (L4) and how it stands. */
export interface SlaClockView {
  /** Null when the SLA has no warning (a deadline without expectedDuration, C10). */
  readonly warningAt: Instant | null
  readonly breachAt: Instant
  readonly status: SlaStatus
}

/** One row of the run log. */
export interface RunView extends RunKey {
  readonly status: RunStatus
  /** The run belongs to a dry-run pipeline: it records DRY_RUN_* observations and never starts a job. */
  readonly dryRun: boolean
  readonly attemptCount: number
  readonly currentAttemptId: string | null
  /** The external run id of the current attempt's job. */
  readonly jobRunId: string | null
  readonly failureCategory: FailureCategory | null
  readonly failureReason: FailureReason | null
  /** Accepted reruns of the period. */
  readonly rerunCount: number
  /** The instant of the run stream's first event. */
  readonly openedAt: Instant
  readonly firstSensorAt: Instant | null
  /** The period opened before its schedule's `after` time: no attempt starts before this instant (C14). */
  readonly deferredUntil: Instant | null
  /** When the current attempt started, and when it reached its outcome. */
  readonly startedAt: Instant | null
  readonly finishedAt: Instant | null
  /** The current attempt's lock expiry (null once released after the trigger gave up). */
  readonly lockExpiresAt: Instant | null
  /** The absolute SLA (`sla.deadline`) and the relative one (`sla.maxDuration`), when scheduled. */
  readonly sla: SlaClockView | null
  readonly relativeSla: SlaClockView | null
  readonly slaCritical: boolean | null
  readonly postRunStatus: PostRunStatus | null
  readonly dryRunTriggeredAt: Instant | null
  /** The config version of the latest attempt start. */
  readonly configVersion: number | null
  /** The instant of the latest event that changed this row. */
  readonly updatedAt: Instant
}

/** One attempt of a run. */
export interface AttemptView extends RunKey {
  readonly attemptId: string
  readonly attemptNumber: number
  /** `sensor`, `cron`, `rerun`, `job-retry`, `recovered` or `manual` (run now). */
  readonly cause: string
  readonly status: AttemptStatus
  readonly sensorKey: string | null
  readonly rerunReason: string | null
  readonly jobType: string | null
  readonly jobRunId: string | null
  readonly failureCategory: FailureCategory | null
  readonly failureReason: FailureReason | null
  /** The last trigger or job error. */
  readonly error: string | null
  /** Evaluation ticks done, and whether the last evaluation passed (null before the first). */
  readonly evaluations: number
  readonly evaluationPassed: boolean | null
  readonly triggerTries: number
  readonly polls: number
  readonly startedAt: Instant
  readonly jobStartedAt: Instant | null
  readonly finishedAt: Instant | null
  readonly lockExpiresAt: Instant
  readonly supersededBy: string | null
  readonly cancelRequestedAt: Instant | null
  readonly configVersion: number
  readonly updatedAt: Instant
}

/** A row of `runs` as pg returns it. */
export interface RunRow {
  readonly pipeline_id: string
  readonly schedule_id: string
  readonly period: string
  readonly status: RunStatus
  readonly dry_run: boolean
  readonly attempt_count: number
  readonly current_attempt_id: string | null
  readonly job_run_id: string | null
  readonly failure_category: FailureCategory | null
  readonly failure_reason: FailureReason | null
  readonly rerun_count: number
  readonly opened_at: Date
  readonly first_sensor_at: Date | null
  readonly deferred_until: Date | null
  readonly started_at: Date | null
  readonly finished_at: Date | null
  readonly lock_expires_at: Date | null
  readonly sla_warning_at: Date | null
  readonly sla_breach_at: Date | null
  readonly sla_status: SlaStatus | null
  readonly sla_critical: boolean | null
  readonly relative_sla_warning_at: Date | null
  readonly relative_sla_breach_at: Date | null
  readonly relative_sla_status: SlaStatus | null
  readonly post_run_status: PostRunStatus | null
  readonly dry_run_triggered_at: Date | null
  readonly config_version: number | null
  readonly updated_at: Date
}

/** A row of `run_attempts` as pg returns it. */
export interface AttemptRow {
  readonly attempt_id: string
  readonly pipeline_id: string
  readonly schedule_id: string
  readonly period: string
  readonly attempt_number: number
  readonly cause: string
  readonly status: AttemptStatus
  readonly sensor_key: string | null
  readonly rerun_reason: string | null
  readonly job_type: string | null
  readonly job_run_id: string | null
  readonly failure_category: FailureCategory | null
  readonly failure_reason: FailureReason | null
  readonly error: string | null
  readonly evaluations: number
  readonly evaluation_passed: boolean | null
  readonly trigger_tries: number
  readonly polls: number
  readonly started_at: Date
  readonly job_started_at: Date | null
  readonly finished_at: Date | null
  readonly lock_expires_at: Date
  readonly superseded_by: string | null
  readonly cancel_requested_at: Date | null
  readonly config_version: number
  readonly updated_at: Date
}

const clockOf = (
  warningAt: Date | null,
  breachAt: Date | null,
  status: SlaStatus | null,
): SlaClockView | null =>
  breachAt === null || status === null
    ? null
    : { warningAt: instantOrNull(warningAt), breachAt: instantOfDate(breachAt), status }

export const runViewOf = (row: RunRow): RunView => ({
  pipelineId: row.pipeline_id,
  scheduleId: row.schedule_id,
  period: row.period,
  status: row.status,
  dryRun: row.dry_run,
  attemptCount: row.attempt_count,
  currentAttemptId: row.current_attempt_id,
  jobRunId: row.job_run_id,
  failureCategory: row.failure_category,
  failureReason: row.failure_reason,
  rerunCount: row.rerun_count,
  openedAt: instantOfDate(row.opened_at),
  firstSensorAt: instantOrNull(row.first_sensor_at),
  deferredUntil: instantOrNull(row.deferred_until),
  startedAt: instantOrNull(row.started_at),
  finishedAt: instantOrNull(row.finished_at),
  lockExpiresAt: instantOrNull(row.lock_expires_at),
  sla: clockOf(row.sla_warning_at, row.sla_breach_at, row.sla_status),
  relativeSla: clockOf(row.relative_sla_warning_at, row.relative_sla_breach_at, row.relative_sla_status),
  slaCritical: row.sla_critical,
  postRunStatus: row.post_run_status,
  dryRunTriggeredAt: instantOrNull(row.dry_run_triggered_at),
  configVersion: row.config_version,
  updatedAt: instantOfDate(row.updated_at),
})

export const attemptViewOf = (row: AttemptRow): AttemptView => ({
  attemptId: row.attempt_id,
  pipelineId: row.pipeline_id,
  scheduleId: row.schedule_id,
  period: row.period,
  attemptNumber: row.attempt_number,
  cause: row.cause,
  status: row.status,
  sensorKey: row.sensor_key,
  rerunReason: row.rerun_reason,
  jobType: row.job_type,
  jobRunId: row.job_run_id,
  failureCategory: row.failure_category,
  failureReason: row.failure_reason,
  error: row.error,
  evaluations: row.evaluations,
  evaluationPassed: row.evaluation_passed,
  triggerTries: row.trigger_tries,
  polls: row.polls,
  startedAt: instantOfDate(row.started_at),
  jobStartedAt: instantOrNull(row.job_started_at),
  finishedAt: instantOrNull(row.finished_at),
  lockExpiresAt: instantOfDate(row.lock_expires_at),
  supersededBy: row.superseded_by,
  cancelRequestedAt: instantOrNull(row.cancel_requested_at),
  configVersion: row.config_version,
  updatedAt: instantOfDate(row.updated_at),
})

/** The JSON record `jsonb_to_recordset` turns back into a `runs` row (instants as ISO text). */
const runRecordOf = (run: RunView) => ({
  pipeline_id: run.pipelineId,
  schedule_id: run.scheduleId,
  period: run.period,
  status: run.status,
  dry_run: run.dryRun,
  attempt_count: run.attemptCount,
  current_attempt_id: run.currentAttemptId,
  job_run_id: run.jobRunId,
  failure_category: run.failureCategory,
  failure_reason: run.failureReason,
  rerun_count: run.rerunCount,
  opened_at: run.openedAt,
  first_sensor_at: run.firstSensorAt,
  deferred_until: run.deferredUntil,
  started_at: run.startedAt,
  finished_at: run.finishedAt,
  lock_expires_at: run.lockExpiresAt,
  sla_warning_at: run.sla?.warningAt ?? null,
  sla_breach_at: run.sla?.breachAt ?? null,
  sla_status: run.sla?.status ?? null,
  sla_critical: run.slaCritical,
  relative_sla_warning_at: run.relativeSla?.warningAt ?? null,
  relative_sla_breach_at: run.relativeSla?.breachAt ?? null,
  relative_sla_status: run.relativeSla?.status ?? null,
  post_run_status: run.postRunStatus,
  dry_run_triggered_at: run.dryRunTriggeredAt,
  config_version: run.configVersion,
  updated_at: run.updatedAt,
})

const attemptRecordOf = (attempt: AttemptView) => ({
  attempt_id: attempt.attemptId,
  pipeline_id: attempt.pipelineId,
  schedule_id: attempt.scheduleId,
  period: attempt.period,
  attempt_number: attempt.attemptNumber,
  cause: attempt.cause,
  status: attempt.status,
  sensor_key: attempt.sensorKey,
  rerun_reason: attempt.rerunReason,
  job_type: attempt.jobType,
  job_run_id: attempt.jobRunId,
  failure_category: attempt.failureCategory,
  failure_reason: attempt.failureReason,
  error: attempt.error,
  evaluations: attempt.evaluations,
  evaluation_passed: attempt.evaluationPassed,
  trigger_tries: attempt.triggerTries,
  polls: attempt.polls,
  started_at: attempt.startedAt,
  job_started_at: attempt.jobStartedAt,
  finished_at: attempt.finishedAt,
  lock_expires_at: attempt.lockExpiresAt,
  superseded_by: attempt.supersededBy,
  cancel_requested_at: attempt.cancelRequestedAt,
  config_version: attempt.configVersion,
  updated_at: attempt.updatedAt,
})

const RUN_COLUMNS = `pipeline_id, schedule_id, period, status, dry_run, attempt_count, current_attempt_id, job_run_id,
  failure_category, failure_reason, rerun_count, opened_at, first_sensor_at, deferred_until, started_at, finished_at,
  lock_expires_at, sla_warning_at, sla_breach_at, sla_status, sla_critical, relative_sla_warning_at,
  relative_sla_breach_at, relative_sla_status, post_run_status, dry_run_triggered_at, config_version, updated_at`

const RUN_RECORD = `pipeline_id text, schedule_id text, period text, status text, dry_run boolean,
  attempt_count integer, current_attempt_id text, job_run_id text, failure_category text, failure_reason text,
  rerun_count integer, opened_at timestamptz, first_sensor_at timestamptz, deferred_until timestamptz, started_at timestamptz,
  finished_at timestamptz, lock_expires_at timestamptz, sla_warning_at timestamptz, sla_breach_at timestamptz,
  sla_status text, sla_critical boolean, relative_sla_warning_at timestamptz, relative_sla_breach_at timestamptz,
  relative_sla_status text, post_run_status text, dry_run_triggered_at timestamptz, config_version integer,
  updated_at timestamptz`

const ATTEMPT_COLUMNS = `attempt_id, pipeline_id, schedule_id, period, attempt_number, cause, status, sensor_key,
  rerun_reason, job_type, job_run_id, failure_category, failure_reason, error, evaluations, evaluation_passed,
  trigger_tries, polls, started_at, job_started_at, finished_at, lock_expires_at, superseded_by,
  cancel_requested_at, config_version, updated_at`

const ATTEMPT_RECORD = `attempt_id text, pipeline_id text, schedule_id text, period text, attempt_number integer,
  cause text, status text, sensor_key text, rerun_reason text, job_type text, job_run_id text,
  failure_category text, failure_reason text, error text, evaluations integer, evaluation_passed boolean,
  trigger_tries integer, polls integer, started_at timestamptz, job_started_at timestamptz,
  finished_at timestamptz, lock_expires_at timestamptz, superseded_by text, cancel_requested_at timestamptz,
  config_version integer, updated_at timestamptz`

/** `excluded.c` for every column but the key: the whole row is replaced by its newer fold. */
const replaceAll = (columns: string, key: ReadonlyArray<string>): string =>
  columns
    .split(',')
    .map((column) => column.trim())
    .filter((column) => !key.includes(column))
    .map((column) => `${column} = excluded.${column}`)
    .join(', ')

const UPSERT_RUNS = `insert into runs (${RUN_COLUMNS})
  select ${RUN_COLUMNS} from jsonb_to_recordset($1::jsonb) as r(${RUN_RECORD})
  on conflict (pipeline_id, schedule_id, period) do update set
  ${replaceAll(RUN_COLUMNS, ['pipeline_id', 'schedule_id', 'period'])}`

const UPSERT_ATTEMPTS = `insert into run_attempts (${ATTEMPT_COLUMNS})
  select ${ATTEMPT_COLUMNS} from jsonb_to_recordset($1::jsonb) as r(${ATTEMPT_RECORD})
  on conflict (attempt_id) do update set ${replaceAll(ATTEMPT_COLUMNS, ['attempt_id'])}`

/** Writes the runs a batch changed, each as its latest fold, in one statement. */
export function upsertRuns(db: Queryable, runs: ReadonlyArray<RunView>): Promise<unknown> {
  return db.query({
    name: 'projections_upsert_runs',
    text: UPSERT_RUNS,
    values: [JSON.stringify(runs.map(runRecordOf))],
  })
}

/** Writes the attempts a batch changed, each as its latest fold, in one statement. */
export function upsertAttempts(db: Queryable, attempts: ReadonlyArray<AttemptView>): Promise<unknown> {
  return db.query({
    name: 'projections_upsert_attempts',
    text: UPSERT_ATTEMPTS,
    values: [JSON.stringify(attempts.map(attemptRecordOf))],
  })
}

const keyArrays = (runs: ReadonlyArray<RunKey>) => [
  runs.map((run) => run.pipelineId),
  runs.map((run) => run.scheduleId),
  runs.map((run) => run.period),
]

/** The stored rows of these runs (those that exist). */
export async function selectRunsByKey(
  db: Queryable,
  runs: ReadonlyArray<RunKey>,
): Promise<ReadonlyArray<RunView>> {
  const { rows } = await db.query<RunRow>({
    name: 'projections_select_runs_by_key',
    text: `select ${RUN_COLUMNS} from runs
           where (pipeline_id, schedule_id, period) in (select * from unnest($1::text[], $2::text[], $3::text[]))`,
    values: keyArrays(runs),
  })
  return rows.map(runViewOf)
}

/** Every stored attempt of these runs. */
export async function selectAttemptsByRun(
  db: Queryable,
  runs: ReadonlyArray<RunKey>,
): Promise<ReadonlyArray<AttemptView>> {
  const { rows } = await db.query<AttemptRow>({
    name: 'projections_select_attempts_by_run',
    text: `select ${ATTEMPT_COLUMNS} from run_attempts
           where (pipeline_id, schedule_id, period) in (select * from unnest($1::text[], $2::text[], $3::text[]))
           order by pipeline_id, schedule_id, period, attempt_number`,
    values: keyArrays(runs),
  })
  return rows.map(attemptViewOf)
}

/** A position in a pipeline's runs ordered by (period desc, schedule_id): the last row of the previous page. */
export interface RunKeyset {
  readonly period: string
  readonly scheduleId: string
}

/** A pipeline's runs, newest period first, after the keyset `after` (exclusive). */
export async function selectRunsOfPipeline(
  db: Queryable,
  options: {
    readonly pipelineId: string
    readonly scheduleId: string | null
    readonly status: RunStatus | null
    readonly after: RunKeyset | null
    readonly limit: number
  },
): Promise<ReadonlyArray<RunView>> {
  const values: Array<unknown> = []
  const parameter = (value: unknown): string => {
    values.push(value)
    return `$${values.length}`
  }
  const where = [`pipeline_id = ${parameter(options.pipelineId)}`]
  if (options.scheduleId !== null) where.push(`schedule_id = ${parameter(options.scheduleId)}`)
  if (options.status !== null) where.push(`status = ${parameter(options.status)}`)
  if (options.after !== null) {
    const period = parameter(options.after.period)
    where.push(
      `(period < ${period} or (period = ${period} and schedule_id > ${parameter(options.after.scheduleId)}))`,
    )
  }
  const { rows } = await db.query<RunRow>(
    `select ${RUN_COLUMNS} from runs where ${where.join(' and ')}
     order by period desc, schedule_id limit ${parameter(options.limit)}`,
    values,
  )
  return rows.map(runViewOf)
}
