import type { Queryable } from '@interlock/eventstore'

// Every statement the watchdog scan runs, all reads of the projection tables (`db/migrations/0002`). The scan
// never folds a stream: these queries narrow the run streams down to the few that need a check command.

/**
 * A pipeline the watchdog looks after: registered, not removed, not paused. A dry-run pipeline gets its cron
 * fires (the decider observes them, L10) but no check (§5.1).
 */
export interface WatchedPipelineRow {
  readonly pipelineId: string
  readonly version: number
  readonly hash: string
  readonly dryRun: boolean
  /** Epoch milliseconds (D10). */
  readonly monitoringSince: number
}

interface PipelineRow {
  readonly pipeline_id: string
  readonly version: number
  readonly hash: string
  readonly dry_run: boolean
  readonly monitoring_since: Date
}

/** Every pipeline the watchdog acts on, without its config (configs are cached by hash). */
export async function selectWatchedPipelines(db: Queryable): Promise<ReadonlyArray<WatchedPipelineRow>> {
  const { rows } = await db.query<PipelineRow>({
    name: 'watchdog_watched_pipelines',
    text: `select pipeline_id, version, hash, dry_run, monitoring_since from pipelines
           where not removed and not paused`,
  })
  return rows.map((row) => ({
    pipelineId: row.pipeline_id,
    version: row.version,
    hash: row.hash,
    dryRun: row.dry_run,
    monitoringSince: row.monitoring_since.getTime(),
  }))
}

/** The stored (encoded) configs of some pipelines, with the hash they have. */
export async function selectPipelineConfigs(
  db: Queryable,
  pipelineIds: ReadonlyArray<string>,
): Promise<ReadonlyArray<{ readonly pipelineId: string; readonly hash: string; readonly config: unknown }>> {
  const { rows } = await db.query<{ pipeline_id: string; hash: string; config: unknown }>({
    name: 'watchdog_pipeline_configs',
    text: 'select pipeline_id, hash, config from pipelines where pipeline_id = any($1::text[])',
    values: [pipelineIds],
  })
  return rows.map((row) => ({ pipelineId: row.pipeline_id, hash: row.hash, config: row.config }))
}

/** What the checks read of one `runs` row. Instants are epoch milliseconds. */
export interface RunRow {
  readonly pipelineId: string
  readonly scheduleId: string
  readonly period: string
  readonly status: string
  readonly attemptCount: number
  readonly currentAttemptId: string | null
  readonly deferredUntil: number | null
  readonly finishedAt: number | null
  readonly lockExpiresAt: number | null
  readonly firstSensorAt: number | null
  readonly slaBreachAt: number | null
  readonly relativeSlaBreachAt: number | null
  readonly relativeSlaStatus: string | null
  readonly postRunStatus: string | null
}

interface RunRecord {
  readonly pipeline_id: string
  readonly schedule_id: string
  readonly period: string
  readonly status: string
  readonly attempt_count: number
  readonly current_attempt_id: string | null
  readonly deferred_until: Date | null
  readonly finished_at: Date | null
  readonly lock_expires_at: Date | null
  readonly first_sensor_at: Date | null
  readonly sla_breach_at: Date | null
  readonly relative_sla_breach_at: Date | null
  readonly relative_sla_status: string | null
  readonly post_run_status: string | null
}

const RUN_COLUMNS = `r.pipeline_id, r.schedule_id, r.period, r.status, r.attempt_count, r.current_attempt_id,
  r.deferred_until, r.finished_at, r.lock_expires_at, r.first_sensor_at, r.sla_breach_at,
  r.relative_sla_breach_at, r.relative_sla_status, r.post_run_status`

const millis = (date: Date | null): number | null => (date === null ? null : date.getTime())

const runOf = (row: RunRecord): RunRow => ({
  pipelineId: row.pipeline_id,
  scheduleId: row.schedule_id,
  period: row.period,
  status: row.status,
  attemptCount: row.attempt_count,
  currentAttemptId: row.current_attempt_id,
  deferredUntil: millis(row.deferred_until),
  finishedAt: millis(row.finished_at),
  lockExpiresAt: millis(row.lock_expires_at),
  firstSensorAt: millis(row.first_sensor_at),
  slaBreachAt: millis(row.sla_breach_at),
  relativeSlaBreachAt: millis(row.relative_sla_breach_at),
  relativeSlaStatus: row.relative_sla_status,
  postRunStatus: row.post_run_status,
})

/** The rows of the given runs that exist (one primary-key probe each). */
export async function selectRunsByKey(
  db: Queryable,
  keys: ReadonlyArray<{ readonly pipelineId: string; readonly scheduleId: string; readonly period: string }>,
): Promise<ReadonlyArray<RunRow>> {
  if (keys.length === 0) return []
  const { rows } = await db.query<RunRecord>({
    name: 'watchdog_runs_by_key',
    text: `select ${RUN_COLUMNS}
           from unnest($1::text[], $2::text[], $3::text[]) as k(pipeline_id, schedule_id, period)
           join runs r on r.pipeline_id = k.pipeline_id and r.schedule_id = k.schedule_id and r.period = k.period`,
    values: [
      keys.map((key) => key.pipelineId),
      keys.map((key) => key.scheduleId),
      keys.map((key) => key.period),
    ],
  })
  return rows.map(runOf)
}

/** Live runs whose attempt lock expired before `now` (§5.2), of watched pipelines (runs_live_lock_idx). */
export async function selectStaleRuns(db: Queryable, now: number): Promise<ReadonlyArray<RunRow>> {
  const { rows } = await db.query<RunRecord>({
    name: 'watchdog_stale_runs',
    text: `select ${RUN_COLUMNS} from runs r
           join pipelines p on p.pipeline_id = r.pipeline_id
           where r.status in ('evaluating', 'triggering', 'running') and r.lock_expires_at < $1
             and not p.removed and not p.paused and not p.dry_run`,
    values: [new Date(now)],
  })
  return rows.map(runOf)
}

/**
 * Recent runs of some pipelines that a post-run (§5.8) or relative SLA (§5.9) check may concern: succeeded
 * with a baseline and no post-run reading yet, or open with a first sensor arrival and no relative breach
 * raised. `sincePeriod` bounds the look-back (periods sort as text; runs_pipeline_period_idx).
 */
export async function selectMonitoredRuns(
  db: Queryable,
  pipelineIds: ReadonlyArray<string>,
  sincePeriod: string,
): Promise<ReadonlyArray<RunRow>> {
  if (pipelineIds.length === 0) return []
  const { rows } = await db.query<RunRecord>({
    name: 'watchdog_monitored_runs',
    text: `select ${RUN_COLUMNS} from runs r
           where r.pipeline_id = any($1::text[]) and r.period >= $2
             and ((r.status = 'succeeded' and r.post_run_status = 'baseline-captured')
               or (r.first_sensor_at is not null
                   and r.status in ('waiting', 'evaluating', 'triggering', 'running')
                   and coalesce(r.relative_sla_status, 'pending') in ('pending', 'warning')))`,
    values: [pipelineIds, sincePeriod],
  })
  return rows.map(runOf)
}

/** The latest reading of a sensor key, as `sensors_latest` holds it. */
export interface LatestSensorRow {
  readonly pipelineId: string
  readonly key: string
  readonly data: Readonly<Record<string, unknown>>
  readonly recordedAt: number
}

/**
 * Latest readings recorded since `since` whose key is a trigger key (exactly, or `<key>#<period>`) of one of
 * the given pipelines (§5.5). Served by the primary key (pipeline_id, sensor_key).
 */
export async function selectTriggerSensors(
  db: Queryable,
  triggers: ReadonlyArray<{ readonly pipelineId: string; readonly triggerKey: string }>,
  since: number,
): Promise<ReadonlyArray<LatestSensorRow>> {
  if (triggers.length === 0) return []
  const { rows } = await db.query<{
    pipeline_id: string
    sensor_key: string
    data: Record<string, unknown>
    recorded_at: Date
  }>({
    name: 'watchdog_trigger_sensors',
    text: `select distinct s.pipeline_id, s.sensor_key, s.data, s.recorded_at
           from unnest($1::text[], $2::text[]) as t(pipeline_id, trigger_key)
           join sensors_latest s on s.pipeline_id = t.pipeline_id
             and (s.sensor_key = t.trigger_key
                  or left(s.sensor_key, length(t.trigger_key) + 1) = t.trigger_key || '#')
           where s.recorded_at >= $3`,
    values: [
      triggers.map((trigger) => trigger.pipelineId),
      triggers.map((trigger) => trigger.triggerKey),
      new Date(since),
    ],
  })
  return rows.map((row) => ({
    pipelineId: row.pipeline_id,
    key: row.sensor_key,
    data: row.data,
    recordedAt: row.recorded_at.getTime(),
  }))
}

/**
 * Holds the scan lock on `client` if no one else does (one scan at a time across processors). The lock is a
 * session lock: release it on the same client.
 */
export async function tryScanLock(client: Queryable): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>({
    name: 'watchdog_try_lock',
    text: 'select pg_try_advisory_lock($1) as locked',
    values: [SCAN_LOCK_KEY],
  })
  return rows[0]?.locked === true
}

export async function releaseScanLock(client: Queryable): Promise<void> {
  await client.query({
    name: 'watchdog_unlock',
    text: 'select pg_advisory_unlock($1)',
    values: [SCAN_LOCK_KEY],
  })
}

/** An arbitrary constant naming the watchdog scan among the advisory locks ("WDOG"). */
const SCAN_LOCK_KEY = 0x57444f47

/** The earliest lock expiry still ahead of `now` among live runs of watched pipelines (runs_live_lock_idx). */
export async function selectNextLockExpiry(db: Queryable, now: number): Promise<number | undefined> {
  const { rows } = await db.query<{ next: Date | null }>({
    name: 'watchdog_next_lock_expiry',
    text: `select min(r.lock_expires_at) as next from runs r
           join pipelines p on p.pipeline_id = r.pipeline_id
           where r.status in ('evaluating', 'triggering', 'running') and r.lock_expires_at >= $1
             and not p.removed and not p.paused and not p.dry_run`,
    values: [new Date(now)],
  })
  return rows[0]?.next?.getTime() ?? undefined
}
