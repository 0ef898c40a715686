/**
 * Backtest benchmark (issue #11): a month of hourly periods for one pipeline (720 periods, ≈ 20,000
 * events) replayed with a candidate config. Prints JSON: events folded, seconds, events/s. The budget is
 * 2 s for the month.
 *
 *   npm run bench -w @interlock/domain            (INTERLOCK_BENCH_ROUNDS=5 by default; the best round counts)
 */
import { Either } from 'effect'
import { backtest } from '../src/backtest/backtest.ts'
import type { RecordedRun, ScheduledCommand } from '../src/backtest/recorded-history.ts'
import { syntheticHistory } from '../src/backtest/testing/synthetic-world.ts'
import { parsePipelineConfig } from '../src/config/parse-pipeline-config.ts'
import type { PipelineConfig } from '../src/config/pipeline-config.ts'

const ROUNDS = Number(process.env.INTERLOCK_BENCH_ROUNDS ?? 5)
const DAYS = 30
const HOUR = 3_600_000
const MINUTE = 60_000
/** Each hour's job runs this long and is polled until it ends. */
const JOB_DURATION_MS = 4 * MINUTE

const configOf = (threshold: number): PipelineConfig => {
  const parsed = parsePipelineConfig(`
pipeline: { id: clickstream-hourly }
schedule:
  timezone: UTC
  trigger: { key: clicks-landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 30m, interval: 2m }
sla: { deadline: ":50", expectedDuration: 10m }
validation:
  trigger: ALL
  rules:
    - { key: clicks-landed, check: equals, field: status, value: COMPLETE }
    - { key: clicks-count, check: gte, field: count, value: ${threshold} }
    - { key: clicks-lag, check: lte, field: seconds, value: 300 }
job:
  type: http
  config: { url: "https://jobs.example.com/clicks", method: POST }
`)
  if (Either.isLeft(parsed)) throw new Error(JSON.stringify(parsed.left))
  return parsed.right
}

const live = { config: configOf(1000), configVersion: 1, calendars: [] }
const candidate = { config: configOf(1400), configVersion: 2, calendars: [] }
const start = Date.parse('2026-10-01T00:00:00Z')
const until = start + (DAYS + 1) * 24 * HOUR

/** One hour's readings: counts that grow, lag readings, the trigger at :05. */
const inputsOf = (hourStart: number, hour: number): ReadonlyArray<ScheduledCommand> => {
  const iso = new Date(hourStart).toISOString()
  const tags = { date: iso.slice(0, 10), hour: iso.slice(11, 13) }
  const reading = (minute: number, key: string, data: Record<string, unknown>, order: number) => ({
    at: hourStart + minute * MINUTE,
    order,
    command: { _tag: 'RecordSensorReading' as const, key, data: { ...data, ...tags } },
  })
  const base = 900 + ((hour * 37) % 800)
  return [
    reading(1, 'clicks-count', { count: base }, 0),
    reading(2, 'clicks-lag', { seconds: 400 }, 1),
    reading(5, 'clicks-landed', { status: 'COMPLETE' }, 2),
    reading(8, 'clicks-lag', { seconds: 120 }, 3),
    reading(12, 'clicks-count', { count: base + 150 }, 4),
    reading(16, 'clicks-count', { count: base + 300 }, 5),
  ]
}

const runs: RecordedRun[] = []
for (let index = 0; index < DAYS * 24; index += 1) {
  const hourStart = start + index * HOUR
  const iso = new Date(hourStart).toISOString()
  const run = { pipelineId: 'clickstream-hourly', scheduleId: 'default', period: iso.slice(0, 13) }
  runs.push(syntheticHistory(run, inputsOf(hourStart, index), live, until, JOB_DURATION_MS))
}
const recordedEvents = runs.reduce((sum, run) => sum + run.events.length, 0)

let best = Number.POSITIVE_INFINITY
let report = backtest({ runs, candidate, until })
for (let round = 0; round < ROUNDS; round += 1) {
  const began = performance.now()
  report = backtest({ runs, candidate, until })
  best = Math.min(best, (performance.now() - began) / 1000)
}
const folded = report.summary.eventsFolded
console.log(
  JSON.stringify(
    {
      benchmark: 'backtest',
      periods: runs.length,
      recordedEvents,
      eventsFolded: folded,
      commandsDecided: report.summary.commandsDecided,
      seconds: Number(best.toFixed(3)),
      eventsFoldedPerSecond: Math.round(folded / best),
      budgetSeconds: 2,
      withinBudget: best < 2,
      differing: report.summary.differing,
      neverTriggered: report.summary.neverTriggered,
      triggeredLater: report.summary.triggeredLater,
    },
    null,
    2,
  ),
)
