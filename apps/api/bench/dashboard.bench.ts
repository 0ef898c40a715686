/**
 * Dashboard benchmark: the server time of each page (request in, HTML out, in-process: no network) with
 * 1,000 pipelines, 48 runs each and 100,000 public events. One pipeline is real (registered and fed through
 * a processor, so its run has a log to explain); the rest are written straight into the projections' tables.
 * Prints one JSON line per page with p50 / p95 / max milliseconds over the measured requests.
 *
 *   npm run bench:dashboard -w @interlock/api      (INTERLOCK_BENCH_REQUESTS=20 per page by default)
 */
import { performance } from 'node:perf_hooks'
import { createTestDatabase, loadMigrations } from '@interlock/db'
import { processorConfig, startProcessor } from '@interlock/processor'
import { allProjections } from '@interlock/projections'
import { pino } from 'pino'
import { createApp } from '../src/app.ts'
import { createToken } from '../src/auth/api-token.ts'
import { apiDeps } from '../src/compose.ts'
import { DEFAULT_API_CONFIG } from '../src/config.ts'
import { ORDERS_DAILY } from '../src/testing/fixtures.ts'

const PIPELINES = 1_000
const RUNS_PER_PIPELINE = 48
const EVENTS = 100_000
const REQUESTS = Number(process.env.INTERLOCK_BENCH_REQUESTS ?? 20)
/** The budget the issue sets for a page's server time. */
const BUDGET_MS = 200
const DAY = '2026-01-05'

const database = await createTestDatabase()
const processor = await startProcessor(
  processorConfig(database.url, { INTERLOCK_CLOCK: 'simulated', INTERLOCK_CLOCK_START: `${DAY}T06:00:00Z` }),
  { projections: allProjections },
)
const pool = processor.pool
const { token } = await createToken(pool, { name: 'bench', scopes: ['admin'] })
const app = createApp(
  apiDeps({
    pool,
    commands: processor.bus,
    config: { ...DEFAULT_API_CONFIG, tokenCacheMs: 60_000 },
    logger: pino({ level: 'silent' }),
    expectedMigrations: (await loadMigrations()).length,
  }),
)
const api = (method: string, path: string, body: string, type: string) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body,
  })

// The real pipeline: registered, two readings, evaluated every 5 minutes for 30 minutes.
await api('PUT', '/api/pipelines/orders-daily', ORDERS_DAILY, 'application/yaml')
await api(
  'POST',
  '/api/pipelines/orders-daily/sensors/orders-count',
  `{"count":10,"date":"${DAY}"}`,
  'application/json',
)
await api(
  'POST',
  '/api/pipelines/orders-daily/sensors/orders-landed',
  `{"status":"COMPLETE","date":"${DAY}"}`,
  'application/json',
)
await processor.advanceTo(Date.parse(`${DAY}T06:30:00Z`))
await processor.settle()

// The other 999 pipelines, their runs, sensors, and the public events, straight into the read models.
const seedStarted = performance.now()
const { rows } = await pool.query<{ config: unknown }>(
  "select config from pipelines where pipeline_id = 'orders-daily'",
)
await pool.query(
  `insert into pipelines (pipeline_id, config, version, hash, paused, pause_reason, removed, owner, description,
                          dry_run, monitoring_since, updated_at)
   select id, jsonb_set($1::jsonb, '{pipeline,id}', to_jsonb(id)), 1, 'hash-' || id, p % 50 = 0, null, false,
          'team-' || (p % 12), 'pipeline number ' || p, p % 40 = 0, $2, $2
   from generate_series(1, $3::int - 1) p, lateral (select 'pipeline-' || lpad(p::text, 4, '0') as id) named`,
  [JSON.stringify(rows[0]!.config), `${DAY}T00:00:00Z`, PIPELINES],
)
await pool.query(
  `insert into runs (pipeline_id, schedule_id, period, status, dry_run, attempt_count, rerun_count, opened_at,
                     started_at, finished_at, sla_breach_at, sla_status, updated_at)
   select 'pipeline-' || lpad(p::text, 4, '0'), 'default', to_char(date '${DAY}' - d, 'YYYY-MM-DD'), status,
          false, 1 + (p + d) % 2, ((p + d) % 7 = 0)::int, day, day, case when status in ('succeeded', 'failed',
          'validation_exhausted') then day + interval '1 hour' end, day + interval '8 hours',
          case when status = 'succeeded' then 'met' when status = 'failed' then 'breached' else 'pending' end, day
   from generate_series(1, $1::int - 1) p, generate_series(0, $2::int - 1) d,
        lateral (select (date '${DAY}' - d)::timestamptz as day,
                        case when d = 0 then (array['waiting', 'evaluating', 'running', 'succeeded', 'failed'])[1 + p % 5]
                             else (array['succeeded', 'succeeded', 'succeeded', 'failed', 'validation_exhausted',
                                         'excluded'])[1 + (p + d) % 6] end as status) facts`,
  [PIPELINES, RUNS_PER_PIPELINE],
)
await pool.query(
  `insert into sensors_latest (pipeline_id, sensor_key, schedule_id, period, data, recorded_at, source)
   select 'pipeline-' || lpad(p::text, 4, '0'), key, 'default', '${DAY}', data, '${DAY}T05:00:00Z', 'bench'
   from generate_series(1, $1::int - 1) p,
        (values ('orders-landed', '{"status": "COMPLETE"}'::jsonb), ('orders-count', '{"count": 420}'::jsonb)) s(key, data)`,
  [PIPELINES],
)
await pool.query(
  `insert into audit_events (id, type, source_type, pipeline_id, schedule_id, period, attempt_id, severity, alert,
                             message, detail, occurred_at)
   select 1000000 + n, kind.type, kind.source, 'pipeline-' || lpad((1 + n % ($2::int - 1))::text, 4, '0'),
          'default', to_char(date '${DAY}' - (n % 48), 'YYYY-MM-DD'), null, kind.severity, kind.severity = 'critical',
          kind.type || ' for bench', '{}'::jsonb, timestamptz '${DAY}T00:00:00Z' - n * interval '20 seconds'
   from generate_series(1, $1::int) n,
        lateral (select (array['JOB_TRIGGERED', 'JOB_COMPLETED', 'SLA_MET', 'JOB_FAILED', 'SLA_BREACH'])[1 + n % 5] as type,
                        (array['JobStarted', 'JobSucceeded', 'SlaVerdictReached', 'JobFailed', 'SlaBreachRaised'])[1 + n % 5] as source,
                        (array['info', 'info', 'success', 'critical', 'critical'])[1 + n % 5] as severity) kind`,
  [EVENTS, PIPELINES],
)
await pool.query('analyze')
const seedMs = performance.now() - seedStarted

const cookie = `interlock_session=${token}`
const PAGES = [
  '/',
  '/?state=failed',
  '/?owner=team-3',
  '/pipelines/orders-daily',
  '/pipelines/pipeline-0500',
  `/pipelines/orders-daily/runs/${DAY}`,
  '/pipelines/pipeline-0500/runs/2025-12-20',
  '/events',
  '/events?severity=critical',
  '/events?pipeline=pipeline-0500',
  '/events?type=SLA_BREACH&since=2025-12-01T00:00Z',
  '/dead-letters',
]

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
const round = (ms: number) => Math.round(ms * 10) / 10

let worst = 0
let worstMedian = 0
for (const path of PAGES) {
  const timings: Array<number> = []
  let bytes = 0
  let status = 0
  // One request first, not counted: it warms the statement plans and the board's decoded rules.
  for (let i = 0; i <= REQUESTS; i++) {
    const started = performance.now()
    const response = await app.request(path, { headers: { cookie } })
    const html = await response.text()
    const elapsed = performance.now() - started
    status = response.status
    bytes = html.length
    if (i > 0) timings.push(elapsed)
  }
  timings.sort((a, b) => a - b)
  worst = Math.max(worst, percentile(timings, 95))
  worstMedian = Math.max(worstMedian, percentile(timings, 50))
  console.log(
    JSON.stringify({
      page: path,
      status,
      kilobytes: Math.round(bytes / 1024),
      p50Ms: round(percentile(timings, 50)),
      p95Ms: round(percentile(timings, 95)),
      maxMs: round(timings.at(-1)!),
    }),
  )
}
console.log(
  JSON.stringify({
    pipelines: PIPELINES,
    runs: PIPELINES * RUNS_PER_PIPELINE,
    events: EVENTS,
    seedSeconds: round(seedMs / 1000),
    worstP50Ms: round(worstMedian),
    worstP95Ms: round(worst),
    budgetMs: BUDGET_MS,
    // p95 on an idle machine; on a shared one the median is the fairer reading (both are printed).
    withinBudget: worst < BUDGET_MS,
  }),
)
await processor.stop()
await database.drop()
