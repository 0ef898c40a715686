/**
 * The pipeline of seed 000's sensor tables: three readiness checks over three sensors (freshness lag,
 * record count, upstream completion), any write of `upstream-check` starts the day's run, and the job is
 * an Airflow DAG on the fake at `airflowUrl`.
 */
export const sensorTablePipeline = (id: string, airflowUrl: string, extra = ''): string => `
pipeline:
  id: ${id}
schedule:
  timezone: UTC
  trigger: { key: upstream-check, check: exists }
  evaluation: { window: 1h, interval: 5m }
validation:
  trigger: ALL
  rules:
    - { key: freshness, check: lte, field: lag, value: 60 }
    - { key: record-count, check: gte, field: count, value: 1000 }
    - { key: upstream-check, check: equals, field: complete, value: true }
job:
  type: airflow
  config: { url: "${airflowUrl}", dagId: ${id.replaceAll('-', '_')} }
${extra}`

/** One round of seed 000's sensor table: the three readings, written for `date`. */
export interface SensorRound {
  readonly lag?: number
  readonly count?: number
  readonly complete?: boolean
}
