import type { Instant } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { instantOfDate } from './instants.ts'

/** A row of `sensors_latest` as pg returns it. */
export interface SensorLatestRow {
  readonly pipeline_id: string
  readonly sensor_key: string
  readonly schedule_id: string
  readonly period: string
  readonly data: Record<string, unknown>
  readonly recorded_at: Date
  readonly source: string | null
}

/** The latest reading of one sensor key of a pipeline. */
export interface SensorReadingView {
  readonly pipelineId: string
  readonly key: string
  /** The run stream the reading was recorded in: its schedule and execution period. */
  readonly scheduleId: string
  readonly period: string
  readonly data: Readonly<Record<string, unknown>>
  readonly recordedAt: Instant
  /** Who recorded it: the actor of the command (API token, `cascade`, an evaluator), null when unnamed. */
  readonly source: string | null
}

const viewOf = (row: SensorLatestRow): SensorReadingView => ({
  pipelineId: row.pipeline_id,
  key: row.sensor_key,
  scheduleId: row.schedule_id,
  period: row.period,
  data: row.data,
  recordedAt: instantOfDate(row.recorded_at),
  source: row.source,
})

/**
 * Writes the latest readings of a batch (one per pipeline and key) in one statement. A stored reading
 * recorded later than the batch's stays: a backfilled period's reading does not hide a newer one.
 */
export function upsertLatestSensors(
  db: Queryable,
  readings: ReadonlyArray<SensorReadingView>,
): Promise<unknown> {
  return db.query({
    name: 'projections_upsert_sensors_latest',
    text: `insert into sensors_latest (pipeline_id, sensor_key, schedule_id, period, data, recorded_at, source)
           select r.pipeline_id, r.sensor_key, r.schedule_id, r.period, r.data, r.recorded_at, r.source
           from jsonb_to_recordset($1::jsonb) as r(pipeline_id text, sensor_key text, schedule_id text,
             period text, data jsonb, recorded_at timestamptz, source text)
           on conflict (pipeline_id, sensor_key) do update set
             schedule_id = excluded.schedule_id, period = excluded.period, data = excluded.data,
             recorded_at = excluded.recorded_at, source = excluded.source
           where excluded.recorded_at >= sensors_latest.recorded_at`,
    values: [
      JSON.stringify(
        readings.map((reading) => ({
          pipeline_id: reading.pipelineId,
          sensor_key: reading.key,
          schedule_id: reading.scheduleId,
          period: reading.period,
          data: reading.data,
          recorded_at: reading.recordedAt,
          source: reading.source,
        })),
      ),
    ],
  })
}

/** The latest reading of every sensor key of a pipeline, by key. */
export async function selectLatestSensors(
  db: Queryable,
  pipelineId: string,
): Promise<ReadonlyArray<SensorReadingView>> {
  const { rows } = await db.query<SensorLatestRow>({
    name: 'projections_select_sensors_latest',
    text: `select pipeline_id, sensor_key, schedule_id, period, data, recorded_at, source
           from sensors_latest where pipeline_id = $1 order by sensor_key`,
    values: [pipelineId],
  })
  return rows.map(viewOf)
}
