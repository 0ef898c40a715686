import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import type { ConfigIssue } from './config-issue.ts'
import { encodePipelineConfig, parsePipelineConfig } from './parse-pipeline-config.ts'
import type { PipelineConfig } from './pipeline-config.ts'
import {
  BRONZE_INGEST_YAML,
  GOLD_REVENUE_NY_YAML,
  GOLD_REVENUE_YAML,
  LOADABLE_SAMPLES,
  MONTHLY_REPORT_YAML,
  ORDERS_DAILY_YAML,
  SILVER_ORDERS_YAML,
  STREAM_TRIGGERED_YAML,
} from './sample-configs.ts'

const load = (input: unknown): PipelineConfig => {
  const result = parsePipelineConfig(input)
  if (Either.isLeft(result))
    throw new Error(`expected a valid config, got ${JSON.stringify(result.left, null, 2)}`)
  return result.right
}

const issuesOf = (input: unknown, options = {}): ReadonlyArray<ConfigIssue> => {
  const result = parsePipelineConfig(input, options)
  if (Either.isRight(result)) throw new Error('expected config issues, got a valid config')
  return result.left
}

/** The smallest valid config, for cases that change one thing. */
const base = (): Record<string, unknown> => ({
  pipeline: { id: 'orders-daily' },
  schedule: { trigger: { key: 'orders-landed', check: 'exists' } },
  job: { type: 'glue', config: { jobName: 'orders-etl' } },
})
const withJob = (job: Record<string, unknown>) => ({
  ...base(),
  job: { type: 'glue', config: { jobName: 'orders-etl' }, ...job },
})

describe('sample configs (spec §1.15–1.16, §6.5) load unchanged', () => {
  it.each(LOADABLE_SAMPLES)('%s loads', (_name, yaml) => {
    expect(Either.isRight(parsePipelineConfig(yaml))).toBe(true)
  })

  it('encodes back to the values it was written with (durations as their text)', () => {
    const encoded = encodePipelineConfig(load(ORDERS_DAILY_YAML))
    expect(encoded.schedule?.evaluation).toEqual({ window: '1h', interval: '5m' })
    expect(encoded.validation?.rules?.[2]).toEqual({
      key: 'orders-landed',
      check: 'age_lt',
      field: 'updatedAt',
      value: '2h',
    })
    expect(load(encoded)).toEqual(load(ORDERS_DAILY_YAML))
  })

  it('reads JSON text as well as YAML', () => {
    expect(load(JSON.stringify(encodePipelineConfig(load(GOLD_REVENUE_YAML))))).toEqual(
      load(GOLD_REVENUE_YAML),
    )
  })
})

describe('§6.5 pkg/types/pipeline_test.go', () => {
  it('TestPipelineConfig_UnmarshalYAML — every field of the sample decodes', () => {
    const config = load(GOLD_REVENUE_NY_YAML)
    expect(config.pipeline).toEqual({ id: 'gold-revenue', owner: 'revenue-team' })
    expect(config.schedule?.cron).toBe('0 7 * * *')
    expect(config.schedule?.timezone).toBe('America/New_York')
    expect(config.schedule?.exclude).toEqual({ weekends: true, holidays: 'us-federal', dates: [] })
    expect(config.schedule?.evaluation).toEqual({
      window: { text: '1h', millis: 3_600_000 },
      interval: { text: '5m', millis: 300_000 },
    })
    expect(config.sla).toEqual({ deadline: '08:00', critical: true, timezone: 'America/New_York' })
    expect(config.validation.trigger).toBe('ALL')
    expect(config.validation.rules.map((rule) => rule.check)).toEqual(['equals', 'gte'])
    expect(config.job.type).toBe('glue')
    expect(config.job.maxRetries).toBe(2)
    expect(config.postRun?.rules).toHaveLength(1)
  })

  it('TestPipelineConfig_StreamTriggered — a SENSOR# key is refused with the key to write instead (R1)', () => {
    expect(issuesOf(STREAM_TRIGGERED_YAML)).toEqual([
      {
        path: 'schedule.trigger.key',
        message:
          '"SENSOR#raw-orders-landed" carries the old SENSOR# prefix; write the key without it: "raw-orders-landed"',
      },
    ])
  })

  it('TestPipelineConfig_Minimal — absent blocks stay absent, defaults fill the rest', () => {
    const config = load(BRONZE_INGEST_YAML)
    expect(config.pipeline).toEqual({ id: 'bronze-ingest' })
    expect(config.schedule?.cron).toBeUndefined()
    expect(config.schedule?.timezone).toBe('UTC')
    expect(config.schedule?.trigger).toBeUndefined()
    expect(config.schedule?.exclude).toBeUndefined()
    expect(config.sla).toBeUndefined()
    expect(config.postRun).toBeUndefined()
    expect(config.schedule?.evaluation.window.text).toBe('15m')
    expect(config.schedule?.evaluation.interval.millis).toBe(60_000)
    expect(config.validation).toEqual({ trigger: 'ANY', rules: [{ key: 'raw-landed', check: 'exists' }] })
    expect(config.job).toMatchObject({ type: 'command', config: { command: './ingest.sh' }, maxRetries: 0 })
  })

  it('TestPipelineConfig_CalendarSchedule — calendar, time, zone, exclusion dates, http job', () => {
    const config = load(MONTHLY_REPORT_YAML)
    expect(config.schedule).toMatchObject({
      calendar: 'us-business-days',
      time: '06:00',
      timezone: 'America/Chicago',
      exclude: { weekends: false, dates: ['2026-01-01', '2026-12-25'] },
    })
    expect(config.schedule?.cron).toBeUndefined()
    expect(config.schedule?.trigger).toBeUndefined()
    expect(config.sla).toEqual({
      deadline: '09:00',
      expectedDuration: { text: '1h', millis: 3_600_000 },
      timezone: 'America/Chicago',
      critical: false,
    })
    expect(config.validation.rules.map((rule) => rule.check)).toEqual(['equals', 'gt', 'age_lt'])
    expect(config.job).toMatchObject({
      type: 'http',
      config: { url: 'https://internal.example.com/api/v1/reports/monthly', method: 'POST' },
      maxRetries: 3,
    })
  })

  it('TestIntOrDefault — an absent budget decodes to its default, an explicit 0 stays 0 (C12)', () => {
    expect(load(base()).job).toMatchObject({
      maxRetries: 2,
      maxCodeRetries: 1,
      maxDriftReruns: 1,
      maxManualReruns: 1,
      jobPollWindowSeconds: 3600,
    })
    expect(load(withJob({ maxDriftReruns: 0, maxRetries: 0 })).job).toMatchObject({
      maxDriftReruns: 0,
      maxRetries: 0,
    })
  })
})

describe('§6.2 pkg/validation/config_test.go (messages reworded, paths added: C3)', () => {
  it('all defaults, no errors', () => {
    expect(Either.isRight(parsePipelineConfig(base()))).toBe(true)
  })

  it('all fields valid', () => {
    const job = {
      maxRetries: 5,
      maxDriftReruns: 3,
      maxManualReruns: 2,
      maxCodeRetries: 2,
      jobPollWindowSeconds: 120,
    }
    expect(load(withJob(job)).job).toMatchObject(job)
  })

  it('heartbeatTimeout decodes to a duration; absent, no heartbeat is awaited', () => {
    expect(load(withJob({ heartbeatTimeout: '5m' })).job.heartbeatTimeout).toEqual({
      text: '5m',
      millis: 300_000,
    })
    expect(load(base()).job).not.toHaveProperty('heartbeatTimeout')
  })

  it.each([
    [
      'MaxRetries negative',
      { maxRetries: -1 },
      'job.maxRetries',
      'maxRetries must be a whole number from 0 to 10 (retries after a transient or timeout failure), got -1',
    ],
    [
      'MaxRetries too high',
      { maxRetries: 11 },
      'job.maxRetries',
      'maxRetries must be a whole number from 0 to 10 (retries after a transient or timeout failure), got 11',
    ],
    [
      'MaxDriftReruns negative',
      { maxDriftReruns: -1 },
      'job.maxDriftReruns',
      'maxDriftReruns must be a whole number from 0 to 5 (reruns for drift and late data), got -1',
    ],
    [
      'MaxDriftReruns too high',
      { maxDriftReruns: 6 },
      'job.maxDriftReruns',
      'maxDriftReruns must be a whole number from 0 to 5 (reruns for drift and late data), got 6',
    ],
    [
      'MaxManualReruns too high',
      { maxManualReruns: 6 },
      'job.maxManualReruns',
      'maxManualReruns must be a whole number from 0 to 5 (manual reruns per reason), got 6',
    ],
    [
      'MaxCodeRetries too high',
      { maxCodeRetries: 4 },
      'job.maxCodeRetries',
      'maxCodeRetries must be a whole number from 0 to 3 (retries after a permanent failure), got 4',
    ],
    [
      'JobPollWindowSeconds too low',
      { jobPollWindowSeconds: 30 },
      'job.jobPollWindowSeconds',
      'jobPollWindowSeconds must be a whole number from 60 to 86400 (how long a job is polled), or 0 for the default 3600, got 30',
    ],
    [
      'JobPollWindowSeconds too high',
      { jobPollWindowSeconds: 100000 },
      'job.jobPollWindowSeconds',
      'jobPollWindowSeconds must be a whole number from 60 to 86400 (how long a job is polled), or 0 for the default 3600, got 100000',
    ],
    [
      'JobPollWindowSeconds negative',
      { jobPollWindowSeconds: -5 },
      'job.jobPollWindowSeconds',
      'jobPollWindowSeconds must be a whole number from 60 to 86400 (how long a job is polled), or 0 for the default 3600, got -5',
    ],
    [
      'heartbeatTimeout under a second',
      { heartbeatTimeout: '500ms' },
      'job.heartbeatTimeout',
      'heartbeatTimeout must be at least 1s',
    ],
    [
      'maxRetries 2.5 (spec §1.13: not a whole number)',
      { maxRetries: 2.5 },
      'job.maxRetries',
      'maxRetries must be a whole number from 0 to 10 (retries after a transient or timeout failure), got 2.5',
    ],
  ])('%s', (_name, job, path, message) => {
    expect(issuesOf(withJob(job))).toEqual([{ path, message }])
  })

  it.each([
    ['MaxRetries at upper bound is valid', { maxRetries: 10 }],
    ['MaxDriftReruns zero is valid', { maxDriftReruns: 0 }],
    ['JobPollWindowSeconds at boundary is valid', { jobPollWindowSeconds: 60 }],
    ['nil pointer fields are valid', { maxRetries: 3 }],
  ])('%s', (_name, job) => {
    expect(Either.isRight(parsePipelineConfig(withJob(job)))).toBe(true)
  })

  it('JobPollWindowSeconds zero means default, valid', () => {
    expect(load(withJob({ jobPollWindowSeconds: 0 })).job.jobPollWindowSeconds).toBe(3600)
  })

  it('multiple violations — every one is reported at once', () => {
    const issues = issuesOf(
      withJob({ maxRetries: 15, maxDriftReruns: 10, maxCodeRetries: 5, jobPollWindowSeconds: 10 }),
    )
    expect(issues.map((issue) => issue.path)).toEqual([
      'job.maxRetries',
      'job.maxCodeRetries',
      'job.maxDriftReruns',
      'job.jobPollWindowSeconds',
    ])
  })

  it('cron and include mutually exclusive', () => {
    const config = { ...base(), schedule: { cron: '0 2 * * *', include: { dates: ['2026-03-31'] } } }
    expect(issuesOf(config)).toEqual([
      {
        path: 'schedule.include',
        message:
          'cron and include are mutually exclusive; keep cron for a regular schedule or include for listed dates',
      },
    ])
  })

  it('include with valid dates', () => {
    const config = { ...base(), schedule: { include: { dates: ['2026-03-31', '2026-06-30'] } } }
    expect(load(config).schedule?.include?.dates).toEqual(['2026-03-31', '2026-06-30'])
  })

  it('include with empty dates', () => {
    expect(issuesOf({ ...base(), schedule: { include: { dates: [] } } })).toEqual([
      { path: 'schedule.include.dates', message: 'list at least one date (YYYY-MM-DD), or remove include' },
    ])
  })

  it('include with invalid date format', () => {
    expect(issuesOf({ ...base(), schedule: { include: { dates: ['2026-03-31', '03/31/2026'] } } })).toEqual([
      {
        path: 'schedule.include.dates[1]',
        message: '"03/31/2026" is not a date; write a real date as YYYY-MM-DD',
      },
    ])
  })

  it('include 2026-02-29 is not a real date', () => {
    expect(issuesOf({ ...base(), schedule: { include: { dates: ['2026-02-29'] } } })).toEqual([
      {
        path: 'schedule.include.dates[0]',
        message: '"2026-02-29" is not a date; write a real date as YYYY-MM-DD',
      },
    ])
  })

  it('maxDuration valid', () => {
    expect(load({ ...base(), sla: { maxDuration: '2h' } }).sla?.maxDuration).toEqual({
      text: '2h',
      millis: 7_200_000,
    })
  })

  it('maxDuration exactly 24h is valid', () => {
    expect(Either.isRight(parsePipelineConfig({ ...base(), sla: { maxDuration: '24h' } }))).toBe(true)
  })

  it('maxDuration exceeds 24h', () => {
    expect(issuesOf({ ...base(), sla: { maxDuration: '25h' } })).toEqual([
      { path: 'sla.maxDuration', message: 'maxDuration 25h exceeds 24h; use at most 24h' },
    ])
  })

  it('maxDuration invalid format', () => {
    expect(issuesOf({ ...base(), sla: { maxDuration: 'not-a-duration' } })).toEqual([
      {
        path: 'sla.maxDuration',
        message:
          '"not-a-duration" is not a duration: "not-a-duration" does not start with a number (examples: 500ms, 90s, 5m, 1h30m)',
      },
    ])
  })

  it('maxDuration requires trigger', () => {
    expect(issuesOf({ ...base(), schedule: {}, sla: { maxDuration: '2h' } })).toEqual([
      {
        path: 'sla.maxDuration',
        message:
          'a relative SLA (maxDuration 2h) runs from the first sensor that meets schedule.trigger; add schedule.trigger',
      },
    ])
  })

  it('maxDuration and deadline coexist', () => {
    expect(
      Either.isRight(parsePipelineConfig({ ...base(), sla: { deadline: '08:00', maxDuration: '2h' } })),
    ).toBe(true)
  })

  it('dryRun without job.type or trigger — job.type is required by the schema, the trigger by dryRun', () => {
    const config = { pipeline: { id: 'p' }, job: { config: { jobName: 'x' } }, dryRun: true }
    expect(issuesOf(config)).toEqual([{ path: 'job.type', message: 'type is required' }])
    expect(issuesOf({ ...base(), schedule: {}, dryRun: true })).toEqual([
      {
        path: 'dryRun',
        message: 'dryRun observes sensor-triggered evaluation; add schedule.trigger or remove dryRun',
      },
    ])
  })

  it('dryRun fully configured', () => {
    expect(load({ ...base(), dryRun: true }).dryRun).toBe(true)
  })
})

describe('strict keys (C2)', () => {
  it('names an unknown key and the known key it was probably meant to be', () => {
    expect(issuesOf(withJob({ max_retries: 3 }))).toEqual([
      { path: 'job.max_retries', message: 'unknown key "max_retries"; did you mean "maxRetries"?' },
    ])
  })

  it('checks the keys of each job type’s config, and lists them when nothing is close', () => {
    expect(
      issuesOf({ ...base(), job: { type: 'glue', config: { jobName: 'x', job_name: 'y', region: 'eu' } } }),
    ).toEqual([
      { path: 'job.config.job_name', message: 'unknown key "job_name"; did you mean "jobName"?' },
      { path: 'job.config.region', message: 'unknown key "region"; known keys here: jobName, arguments' },
    ])
  })

  it('accepts job.config keys in another letter case, as the original did (dagID, workspaceURL)', () => {
    const airflow = load({
      ...base(),
      job: { type: 'airflow', config: { url: 'https://airflow', dagID: 'orders' } },
    })
    expect(airflow.job.config).toEqual({ url: 'https://airflow', dagId: 'orders' })
  })

  it('rejects postRun.evaluation as unknown (C10)', () => {
    expect(issuesOf({ ...base(), postRun: { evaluation: { window: '1h' } } })).toEqual([
      {
        path: 'postRun.evaluation',
        message:
          'unknown key "evaluation"; known keys here: rules, driftField, driftThreshold, sensorTimeout',
      },
    ])
  })
})

describe('EMR steps', () => {
  const emr = (config: Record<string, unknown>) => ({ ...base(), job: { type: 'emr', config } })

  it('takes an argument list without a JAR (command-runner.jar) or a step name (both defaulted at start)', () => {
    expect(load(emr({ clusterId: 'j-1', arguments: ['spark-submit', 's3://b/job.py'] })).job.config).toEqual({
      clusterId: 'j-1',
      arguments: ['spark-submit', 's3://b/job.py'],
    })
  })

  it('keeps the mapping form, which needs the JAR as command', () => {
    const config = { clusterId: 'j-1', stepName: 's', command: 's3://a.jar', arguments: { date: '{{date}}' } }
    expect(load(emr(config)).job.config).toEqual(config)
    expect(issuesOf(emr({ clusterId: 'j-1', arguments: { date: '{{date}}' } }))).toEqual([
      {
        path: 'job.config.command',
        message:
          "command (the step's JAR) is required unless arguments is a list, which runs through command-runner.jar",
      },
    ])
  })
})

describe('readiness-only pipelines (job type none)', () => {
  const gate = (job: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    ...base(),
    job: { type: 'none', ...job },
    ...extra,
  })

  it('load with the rerun budgets, which re-evaluate readiness, and nothing else of a job', () => {
    expect(load(gate()).job).toEqual({ type: 'none', maxDriftReruns: 1, maxManualReruns: 1 })
    expect(load(gate({ maxManualReruns: 3 })).job).toMatchObject({ maxManualReruns: 3 })
  })

  it('refuse every field that only a job gives meaning to, naming it and why', () => {
    expect(
      issuesOf(
        gate({
          config: { command: 'x' },
          maxRetries: 2,
          maxCodeRetries: 1,
          heartbeatTimeout: '5m',
          jobPollWindowSeconds: 600,
        }),
      ),
    ).toEqual(
      [
        ['config', 'holds the settings of the job to start'],
        ['maxRetries', 'is the retry budget of a failed job'],
        ['maxCodeRetries', 'is the retry budget of a job that failed permanently'],
        ['heartbeatTimeout', 'is how long a running job may stay silent'],
        ['jobPollWindowSeconds', 'is how long a started job is polled'],
      ].map(([field, purpose]) => ({
        path: `job.${field}`,
        message: `${field} ${purpose}; a readiness-only pipeline (job type none) starts no job, so remove ${field} or give the job a type`,
      })),
    )
  })

  it('refuse dryRun: there is no job start to observe', () => {
    expect(issuesOf(gate({}, { dryRun: true }))).toEqual([
      {
        path: 'dryRun',
        message:
          'dryRun records when a job would have started; a readiness-only pipeline (job type none) starts none, so remove dryRun',
      },
    ])
  })

  it('keep a relative SLA: it measures from the first sensor to readiness', () => {
    expect(load(gate({}, { sla: { maxDuration: '2h' } })).sla?.maxDuration?.text).toBe('2h')
  })

  it('still need a job block: leaving it out is an error, not a readiness-only pipeline', () => {
    const { job: _job, ...withoutJob } = base()
    expect(issuesOf(withoutJob)).toEqual([
      {
        path: 'job',
        message:
          'job is required: the job to start when the pipeline is ready ({type: command, config: {command: …}}), or {type: none} for a pipeline that only reports readiness',
      },
    ])
  })
})

describe('messages a person can act on', () => {
  it('reports every problem of a broken config at once', () => {
    const config = {
      pipeline: { id: 'orders daily' },
      schedule: { cron: '0 8 * *', timezone: 'Mars/Olympus_Mons', evaluation: { interval: '500ms' } },
      sla: { deadline: '8pm' },
      validation: { trigger: 'NONE', rules: [{ key: 'x', check: 'regex' }] },
      job: { type: 'command', config: { command: '   ' } },
    }
    expect(issuesOf(config)).toEqual([
      {
        path: 'pipeline.id',
        message:
          '"orders daily" is not a pipeline id; use 1–128 letters, digits, dots, underscores or hyphens',
      },
      {
        path: 'schedule.cron',
        message:
          '"0 8 * *" has 4 field(s); write five: minute hour day-of-month month day-of-week, e.g. "0 8 * * *"',
      },
      {
        path: 'schedule.timezone',
        message:
          '"Mars/Olympus_Mons" is not a known IANA time zone; use a name such as UTC, Europe/London or America/New_York',
      },
      {
        path: 'schedule.evaluation.interval',
        message: 'interval 500ms is shorter than 1s; use at least 1s (C9)',
      },
      {
        path: 'sla.deadline',
        message: '"8pm" is not a deadline; write HH:MM (00:00–23:59) or :MM (minute 00–59 of the next hour)',
      },
      { path: 'validation.trigger', message: '"NONE" is not a validation mode; write ALL or ANY' },
      {
        path: 'validation.rules[0].check',
        message:
          'must be one of "exists", "equals", "gt", "gte", "lt", "lte", "age_lt", "age_gt"; got "regex"',
      },
      { path: 'job.config.command', message: 'command must not be empty' },
    ])
  })

  it('refuses an unknown job type and lists the nine, and none', () => {
    expect(issuesOf({ ...base(), job: { type: 'cron-job', config: {} } })).toEqual([
      {
        path: 'job.type',
        message:
          'must be one of "command", "http", "airflow", "glue", "emr", "emr-serverless", "step-function", "databricks", "lambda", "none"; got "cron-job"',
      },
    ])
  })

  it('refuses a non-numeric value for a numeric rule', () => {
    const config = {
      ...base(),
      validation: { rules: [{ key: 'orders-count', check: 'gte', field: 'count', value: 'lots' }] },
    }
    expect(issuesOf(config)).toEqual([
      {
        path: 'validation.rules[0].value',
        message:
          'gt, gte, lt and lte compare numbers: value must be a number or a decimal string such as "100", got "lots"',
      },
    ])
  })

  it('refuses an age rule whose value is not a duration (spec §6.1 AgeLT_NonStringDuration / _InvalidDuration become config errors)', () => {
    const config = {
      ...base(),
      validation: {
        rules: [
          { key: 'a', check: 'age_lt', field: 'updatedAt', value: 3600 },
          { key: 'b', check: 'age_lt', field: 'updatedAt', value: 'not-a-duration' },
        ],
      },
    }
    expect(issuesOf(config)).toEqual([
      { path: 'validation.rules[0].value', message: 'must be a string, got 3600' },
      {
        path: 'validation.rules[1].value',
        message:
          '"not-a-duration" is not a duration: "not-a-duration" does not start with a number (examples: 500ms, 90s, 5m, 1h30m)',
      },
    ])
  })

  it('refuses ANY with no rules (R7)', () => {
    expect(issuesOf({ ...base(), validation: { trigger: 'any' } })).toEqual([
      {
        path: 'validation.rules',
        message: 'mode ANY needs at least one rule (with none it could never pass); add rules or use ALL',
      },
    ])
  })

  it('refuses an evaluation interval longer than its window (C9)', () => {
    expect(issuesOf({ ...base(), schedule: { evaluation: { window: '10m', interval: '15m' } } })).toEqual([
      {
        path: 'schedule.evaluation.interval',
        message: 'interval 15m is longer than window 10m; make it at most the window',
      },
    ])
  })

  it('points at the YAML line of a syntax error', () => {
    expect(issuesOf('pipeline:\n  id: [unclosed\n')).toEqual([
      { path: '', message: expect.stringMatching(/^line \d+, column \d+: .* — fix the YAML syntax$/) },
    ])
  })

  it('refuses a file whose name differs from its pipeline id (C1)', () => {
    expect(issuesOf(GOLD_REVENUE_YAML, { fileName: 'pipelines/gold.yaml' })).toEqual([
      {
        path: 'pipeline.id',
        message:
          'pipeline id "gold-revenue" differs from its file name "pipelines/gold.yaml"; rename the file to gold-revenue.yaml or change the id',
      },
    ])
  })

  it('refuses a calendar that is not registered, once calendars are known (C6)', () => {
    expect(issuesOf(ORDERS_DAILY_YAML, { calendars: ['us-federal', 'us-business'] })).toEqual([
      {
        path: 'schedule.calendar',
        message:
          'unknown calendar "us-business-days"; did you mean "us-business"? register it first or fix the name',
      },
    ])
  })
})

describe('defaults (C8, C12)', () => {
  it('sla.timezone defaults to schedule.timezone', () => {
    const config = { ...base(), schedule: { timezone: 'Europe/London' }, sla: { deadline: '08:00' } }
    expect(load(config).sla?.timezone).toBe('Europe/London')
  })

  it('sla.timezone defaults to UTC without a schedule', () => {
    const { schedule: _ignored, ...rest } = base()
    expect(load({ ...rest, sla: { deadline: '08:00' } }).sla?.timezone).toBe('UTC')
  })

  it('SILVER sample: exists trigger with empty field and null value still loads', () => {
    expect(load(SILVER_ORDERS_YAML).schedule?.trigger).toEqual({
      key: 'orders-landed',
      check: 'exists',
      field: '',
      value: null,
    })
  })
})

describe('multi-schedule (C14)', () => {
  it('accepts named schedules with after, deadline and their own zone', () => {
    const { schedule: _single, ...rest } = base()
    const config = load({
      ...rest,
      schedules: [
        { name: 'morning', after: '06:00', deadline: '09:00', timezone: 'America/New_York' },
        { name: 'evening', after: '18:00', deadline: '21:00', timezone: 'America/New_York' },
      ],
    })
    expect(config.schedules?.map((schedule) => schedule.name)).toEqual(['morning', 'evening'])
  })
})

describe('YAML that parses but does not resolve', () => {
  it('reports an alias to no anchor as a config issue instead of throwing', () => {
    const parsed = parsePipelineConfig('pipeline: *missing\n')
    expect(Either.isLeft(parsed)).toBe(true)
    const issues = Either.isLeft(parsed) ? parsed.left : []
    expect(issues).toHaveLength(1)
    expect(issues[0]!.message).toContain('fix the YAML anchors and aliases')
  })
})
