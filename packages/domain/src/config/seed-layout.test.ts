import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import { parseArchetype } from '../archetype/parse-archetype.ts'
import { parseCalendar } from '../calendar/parse-calendar.ts'
import type { ConfigIssue } from './config-issue.ts'
import { parsePipelineConfig } from './parse-pipeline-config.ts'
import type { PipelineConfig } from './pipeline-config.ts'
import { pipelineSchedules } from './pipeline-schedules.ts'
import {
  SEED_ARCHETYPE_YAML,
  SEED_CALENDAR_EXCLUSION_YAML,
  SEED_CALENDAR_YAML,
  SEED_MULTI_SCHEDULE_YAML,
  SEED_PIPELINE_YAML,
  SEED_RETRY_YAML,
  SEED_SLA_YAML,
  SEED_TRIGGERS_YAML,
  SEED_WATCH_YAML,
  SEED_WEEKDAY_ONLY_YAML,
} from './seed-001-samples.ts'

// Seed 001's README YAML blocks load unchanged (C14, issue #12). Blocks that show one part of a pipeline
// (retry, watch, sla, a trigger) are loaded inside the README's own pipeline (§Pipeline Configuration).

const load = (text: string, options = {}): PipelineConfig => {
  const result = parsePipelineConfig(text, options)
  if (Either.isLeft(result))
    throw new Error(`expected a valid config, got ${JSON.stringify(result.left, null, 2)}`)
  return result.right
}
const issuesOf = (text: string, options = {}): ReadonlyArray<ConfigIssue> => {
  const result = parsePipelineConfig(text, options)
  if (Either.isRight(result)) throw new Error('expected config issues, got a valid config')
  return result.left
}
/** The README's pipeline with one more block of the README. */
const withBlock = (block: string) => `${SEED_PIPELINE_YAML}\n${block}`

describe("seed 001's pipeline (§Pipeline Configuration)", () => {
  const config = load(SEED_PIPELINE_YAML)

  it('is a pipeline named by `name`, extending its archetype, tier kept with the identity', () => {
    expect(config.pipeline).toEqual({ id: 'daily-sales-rollup', tier: 2 })
    expect(config.extends).toBe('batch-ingestion')
  })

  it("turns each trait into a PASS rule produced by its evaluator, the ttl into an age rule, and keeps the archetype's other traits", () => {
    expect(config.validation.trigger).toBe('ALL')
    expect(
      config.validation.rules.map((rule) => [rule.key, rule.check, 'value' in rule ? rule.value : undefined]),
    ).toEqual([
      ['upstream-dependency', 'equals', 'PASS'],
      ['upstream-dependency', 'age_lt', { text: '10m', millis: 600_000 }],
      ['resource-availability', 'equals', 'PASS'],
      ['source-freshness', 'equals', 'PASS'],
      ['source-freshness', 'age_lt', { text: '120s', millis: 120_000 }],
    ])
    expect(config.validation.rules[3]).toMatchObject({
      evaluator: {
        command: './evaluators/check-sales-freshness',
        config: { source: 'sales_events', maxLagSeconds: 60 },
        timeout: { text: '15s', millis: 15_000 },
      },
    })
  })

  it('starts its trigger as the job, and is evaluated daily from midnight (one schedule, `default`)', () => {
    expect(config.job).toMatchObject({
      type: 'command',
      config: { command: 'python scripts/run_pipeline.py' },
    })
    const [schedule, ...more] = pipelineSchedules(config)
    expect(more).toEqual([])
    expect(schedule).toMatchObject({ name: 'default', cron: '0 0 * * *', timezone: 'UTC' })
    expect(schedule?.evaluation.window.text).toBe('24h00m')
  })
})

describe('seed 001 blocks of one part of a pipeline, inside its pipeline', () => {
  it('retry: maxAttempts 3 of TRANSIENT and TIMEOUT is two retries; PERMANENT is not retried', () => {
    expect(load(withBlock(SEED_RETRY_YAML)).job).toMatchObject({ maxRetries: 2, maxCodeRetries: 0 })
  })

  it('retry: another backoff than Interlock’s 30s × 2 is refused, naming the field', () => {
    const changed = SEED_RETRY_YAML.replace('backoffSeconds: 30', 'backoffSeconds: 10')
    expect(issuesOf(withBlock(changed))).toEqual([
      {
        path: 'retry.backoffSeconds',
        message: 'Interlock retries after 30s, doubling each time; set 30 or remove backoffSeconds',
      },
    ])
  })

  it('watch: the interval is the evaluation interval; monitoring checks the traits again after success', () => {
    const config = load(withBlock(SEED_WATCH_YAML))
    expect(pipelineSchedules(config)[0]?.evaluation.interval.text).toBe('30s')
    expect(config.postRun?.rules.map((rule) => rule.key)).toEqual(['source-freshness'])
    expect(config.postRun?.sensorTimeout.text).toBe('2h')
  })

  it('sla: completion is the deadline, evaluation the warning before it, validationTimeout ends the evaluation', () => {
    const config = load(withBlock(SEED_SLA_YAML))
    const [schedule] = pipelineSchedules(config)
    expect(schedule?.sla).toMatchObject({
      deadline: '12:00',
      expectedDuration: { text: '3h00m' },
      timezone: 'America/New_York',
    })
    // Evaluated from midnight until validationTimeout 10:00.
    expect(schedule?.evaluation.window.text).toBe('10h00m')
  })

  const triggers = SEED_TRIGGERS_YAML.split(/\n(?=# )/).map(
    (block) => [block.split('\n')[0] ?? '', block] as const,
  )
  const pipelineWith = (block: string) =>
    `${SEED_PIPELINE_YAML.replace(/\ntrigger:\n(?: {2}.*\n?)*/, '\n')}\n${block}`

  it.each(triggers)('%s: the trigger block is the job', (_title, block) => {
    const config = load(pipelineWith(block))
    expect(config.job.type).toBe(/type: (\S+)/.exec(block)?.[1])
    if (config.job.type === 'databricks') expect(config.job.config.jobId).toBe('my-job')
    if (config.job.type === 'airflow') expect(config.job.config.dagId).toBe('my_pipeline')
  })

  it('# AWS EMR: the argument list is the step, run by command-runner.jar, named by default', () => {
    const [, block] = triggers.find(([title]) => title === '# AWS EMR') ?? ['', '']
    expect(load(pipelineWith(block)).job).toMatchObject({
      type: 'emr',
      config: { clusterId: 'j-XXXXXXXXXXXXX', arguments: ['spark-submit', 's3://bucket/job.py'] },
    })
  })
})

describe('seed 001 schedules and exclusions', () => {
  it('§Multi-Schedule: two named schedules, each opened daily at its `after`, with its own deadline as SLA', () => {
    const config = load(SEED_MULTI_SCHEDULE_YAML)
    expect(
      pipelineSchedules(config).map((schedule) => ({
        name: schedule.name,
        cron: schedule.cron,
        after: schedule.after,
        window: schedule.evaluation.window.text,
        deadline: schedule.sla?.deadline,
        zone: schedule.sla?.timezone,
      })),
    ).toEqual([
      {
        name: 'morning',
        cron: '0 6 * * *',
        after: '06:00',
        window: '3h00m',
        deadline: '09:00',
        zone: 'America/New_York',
      },
      {
        name: 'evening',
        cron: '0 18 * * *',
        after: '18:00',
        window: '3h00m',
        deadline: '21:00',
        zone: 'America/New_York',
      },
    ])
  })

  it('§Calendar Exclusions: Saturday and Sunday are weekends; dates and a named calendar are excluded', () => {
    const weekdays = pipelineSchedules(load(SEED_WEEKDAY_ONLY_YAML))[0]
    expect(weekdays?.exclude).toEqual({ weekends: true, dates: ['2025-12-25', '2026-01-01'] })
    const calendar = load(`name: holiday-aware\n${SEED_CALENDAR_EXCLUSION_YAML}`, {
      calendars: ['us-holidays'],
    })
    expect(pipelineSchedules(calendar)[0]?.calendar).toBe('us-holidays')
    const parsed = parseCalendar(SEED_CALENDAR_YAML)
    expect(Either.getOrThrow(parsed)).toMatchObject({
      name: 'us-holidays',
      dates: ['2025-12-25', '2026-01-01', '2026-07-04'],
    })
  })

  it('a seed pipeline without a trigger is readiness-only: evaluated and reported, no job (job type none)', () => {
    expect(load(SEED_MULTI_SCHEDULE_YAML).job).toEqual({
      type: 'none',
      maxDriftReruns: 1,
      maxManualReruns: 1,
    })
    expect(load(SEED_WEEKDAY_ONLY_YAML).job.type).toBe('none')
  })

  it('retry without a trigger is refused: there is no job to retry', () => {
    expect(issuesOf(`${SEED_MULTI_SCHEDULE_YAML}${SEED_RETRY_YAML}`)).toEqual([
      {
        path: 'retry',
        message:
          'retry retries a failed job; a pipeline without trigger only reports readiness and starts no job, so remove retry or add a trigger',
      },
    ])
  })

  it('other weekdays and unknown keys are errors naming the nearest key', () => {
    const text = `${SEED_PIPELINE_YAML}exclusions:\n  days: [Monday]\nschedule: {}\n`
    expect(issuesOf(text).map((issue) => issue.path)).toEqual(['schedule', 'exclusions.days'])
    expect(issuesOf(text)[0]?.message).toBe('unknown key "schedule"; did you mean "schedules"?')
  })
})

describe("seed 001's archetype (§Archetype Definition)", () => {
  it('loads as required-trait rules: PASS, and fresher than the default ttl', () => {
    const archetype = Either.getOrThrow(parseArchetype(SEED_ARCHETYPE_YAML))
    expect(archetype.name).toBe('batch-ingestion')
    expect(archetype.rules.map((rule) => `${rule.key} ${rule.check}`)).toEqual([
      'source-freshness equals',
      'source-freshness age_lt',
      'upstream-dependency equals',
      'upstream-dependency age_lt',
    ])
    // A pipeline extending it keeps the archetype's ttl where its own trait sets none.
    const config = load(SEED_PIPELINE_YAML, { archetypes: [archetype] })
    expect(config.validation.rules.map((rule) => `${rule.key} ${rule.check}`)).toEqual([
      'upstream-dependency equals',
      'upstream-dependency age_lt',
      'source-freshness equals',
      'source-freshness age_lt',
    ])
  })
})
