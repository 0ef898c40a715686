import { cronGranularity, type PipelineConfig, pipelineSchedules, type RunKey } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'

/**
 * Seed 001's cascade: when a run of pipeline X succeeds, every pipeline whose trigger or validation rules
 * read the sensor key `X` receives a reading `X` for the same period, which starts its own evaluation
 * (silver completes → gold evaluates → triggers). The reading is an ordinary sensor reading: rules, explain
 * and backtest treat it like any pushed one.
 */

/**
 * Pipelines whose stored config may read key `upstream` (trigger or rule), from the pipelines read model.
 * A candidate list only: each is confirmed against its folded config before anything is written.
 */
export async function downstreamCandidates(db: Queryable, upstream: string): Promise<ReadonlyArray<string>> {
  const { rows } = await db.query<{ pipeline_id: string }>({
    name: 'cascade_downstream_candidates',
    text: `select pipeline_id from pipelines
           where not removed and pipeline_id <> $1
             and (config -> 'validation' -> 'rules' @> $2::jsonb
               or config -> 'schedule' -> 'trigger' ->> 'key' = $1
               or config -> 'schedules' @> $3::jsonb)
           order by pipeline_id`,
    values: [upstream, JSON.stringify([{ key: upstream }]), JSON.stringify([{ trigger: { key: upstream } }])],
  })
  return rows.map((row) => row.pipeline_id)
}

/** True when the config's trigger or a validation rule reads exactly the sensor key `key`. */
export function readsSensorKey(config: PipelineConfig, key: string): boolean {
  if (config.validation.rules.some((rule) => rule.key === key)) return true
  return pipelineSchedules(config).some((schedule) => schedule.trigger?.key === key)
}

/**
 * The cascade reading's data for a downstream pipeline: the upstream period's date, and its hour only
 * when the downstream schedules hourly (a daily pipeline downstream of an hourly one reads the day).
 */
export function cascadeReading(
  upstream: RunKey,
  attemptId: string,
  completedAt: string,
  downstream: PipelineConfig,
): Readonly<Record<string, unknown>> {
  const [date, hour] = upstream.period.split('T')
  const hourly = pipelineSchedules(downstream).some(
    (schedule) => schedule.cron !== undefined && cronGranularity(schedule.cron) === 'hourly',
  )
  return {
    status: 'COMPLETE',
    date,
    ...(hour !== undefined && hourly ? { hour } : {}),
    upstreamPipelineId: upstream.pipelineId,
    upstreamSchedule: upstream.scheduleId,
    upstreamAttemptId: attemptId,
    completedAt,
    updatedAt: completedAt,
    source: 'cascade',
  }
}
