/**
 * Watchdog benchmark, printed as JSON: the time of one scan at 10,000 registered pipelines (issue 6 target:
 * ≤ 2 s), under a simulated clock so nothing but the scans runs.
 * - `coldScanMs`: the first scan of a processor (reads and decodes every config, queues every cron fire);
 * - `backlog`: the scans after the cold one that send what it postponed (at most MAX_COMMANDS_PER_SCAN each);
 * - `steadyScanMs`: later scans, once nothing is postponed and every fact seen was already sent (p50, max);
 * - `dueScanMs`: a scan a day later, when each pipeline's new period has checks and cron fires to send.
 * Each scan's `findMs` is the time to find its checks, before it sends any command: the part that grows
 * with the number of pipelines; sending is the command handler's throughput.
 * The pipelines are a mix of the four shapes the checks look at: daily cron with an SLA, sensor-triggered
 * with a trigger deadline and post-run rules, hourly with an `:MM` SLA, and inclusion dates.
 *
 *   node bench/watchdog.bench.ts     (INTERLOCK_BENCH_PIPELINES=10000 by default)
 */
import { createTestDatabase } from '@interlock/db'
import { allProjections } from '@interlock/projections'
import { SimulatedClock } from '../src/clock.ts'
import { processorConfig } from '../src/config.ts'
import { startProcessor } from '../src/processor.ts'

const PIPELINES = Number(process.env.INTERLOCK_BENCH_PIPELINES ?? 10_000)
const STEADY_SCANS = 5
const REGISTER_CONCURRENCY = 16
const START = '2026-03-02T00:00:00Z'

const configOf = (index: number): string => {
  const id = `wd-${index}`
  const job = 'job: { type: command, config: { command: "true" } }'
  const rules = 'validation: { trigger: ALL, rules: [{ key: rows, check: gte, field: count, value: 1 }] }'
  switch (index % 4) {
    case 0:
      return `pipeline: { id: ${id} }
schedule: { cron: "${index % 60} ${index % 24} * * *", timezone: Europe/London }
sla: { deadline: "23:30", expectedDuration: 30m }
${rules}
${job}`
    case 1:
      return `pipeline: { id: ${id} }
schedule:
  timezone: America/New_York
  trigger: { key: landed, check: equals, field: status, value: READY, deadline: "18:00" }
postRun: { rules: [{ key: audit, check: exists }] }
${rules}
${job}`
    case 2:
      return `pipeline: { id: ${id} }
schedule:
  trigger: { key: hour-landed, check: exists }
sla: { deadline: ":45", expectedDuration: 10m }
${rules}
${job}`
    default:
      return `pipeline: { id: ${id} }
schedule:
  trigger: { key: landed, check: exists }
  include: { dates: ["2026-02-27", "2026-03-01", "2026-03-02"] }
  time: "09:00"
${rules}
${job}`
  }
}

const round = (value: number) => Number(value.toFixed(1))

const database = await createTestDatabase()
const processor = await startProcessor(
  processorConfig(database.url, {
    INTERLOCK_CLOCK: 'simulated',
    INTERLOCK_CLOCK_START: START,
    INTERLOCK_WATCHDOG_INTERVAL_SECONDS: '60',
    // The alerts the scans raise would interleave with the JSON on stdout.
    INTERLOCK_ALERT_CONSOLE_ROUTE: 'none',
  }),
  { projections: allProjections, poolSize: 20 },
)
try {
  const registering = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: REGISTER_CONCURRENCY }, async () => {
      while (next < PIPELINES) {
        const index = next++
        await processor.bus.registerPipeline(configOf(index), { actor: 'bench' })
      }
    }),
  )
  await processor.settle()
  const registerSeconds = (performance.now() - registering) / 1_000

  // The clock is moved without advanceTo: timers stay queued, only the scans run (each at the clock's instant).
  const clock = processor.clock
  if (!(clock instanceof SimulatedClock)) throw new Error('the benchmark needs a simulated clock')
  const sentOf = (report: { sent: Record<string, number> }) =>
    Object.values(report.sent).reduce((sum, count) => sum + count, 0)
  const scanAt = async (instant: string | number) => {
    clock.moveTo(typeof instant === 'number' ? instant : Date.parse(instant))
    const report = await processor.watchdog.scan()
    await processor.settle()
    return report
  }
  const cold = await scanAt('2026-03-02T10:00:00Z')
  let minute = 0
  const backlog: Array<{ durationMs: number; findMs: number; commandsSent: number }> = []
  for (let postponed = cold.postponed; postponed > 0 && backlog.length < 20; ) {
    const report = await scanAt(Date.parse('2026-03-02T10:00:00Z') + ++minute * 60_000)
    backlog.push({
      durationMs: round(report.durationMs),
      findMs: round(report.findMs),
      commandsSent: sentOf(report),
    })
    postponed = report.postponed
  }
  const steady: number[] = []
  const steadyFind: number[] = []
  for (let scan = 1; scan <= STEADY_SCANS; scan++) {
    const report = await scanAt(Date.parse('2026-03-02T10:00:00Z') + ++minute * 60_000)
    steady.push(report.durationMs)
    steadyFind.push(report.findMs)
  }
  steady.sort((a, b) => a - b)
  steadyFind.sort((a, b) => a - b)
  const due = await scanAt('2026-03-03T20:00:00Z')

  console.log(
    JSON.stringify(
      {
        pipelines: PIPELINES,
        registerSeconds: round(registerSeconds),
        coldScanMs: round(cold.durationMs),
        coldScan: {
          findMs: round(cold.findMs),
          cronTimersQueued: cold.cronTimersQueued,
          commandsSent: sentOf(cold),
          postponed: cold.postponed,
          sent: cold.sent,
        },
        backlog,
        steadyScanMs: {
          p50: round(steady[Math.floor(steady.length / 2)] ?? 0),
          max: round(steady.at(-1) ?? 0),
          findP50: round(steadyFind[Math.floor(steadyFind.length / 2)] ?? 0),
        },
        dueScanMs: round(due.durationMs),
        dueScan: {
          findMs: round(due.findMs),
          cronTimersQueued: due.cronTimersQueued,
          commandsSent: sentOf(due),
          postponed: due.postponed,
          sent: due.sent,
          failures: due.failures,
        },
        targetMs: 2_000,
      },
      null,
      2,
    ),
  )
} finally {
  await processor.stop()
  await database.drop()
}
