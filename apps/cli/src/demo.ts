import type { ApiClient } from './api-client.ts'
import type { CliIo } from './io.ts'
import { progressBar, pushReadings, type Reading } from './push-command.ts'
import { cell, formatTable } from './table.ts'

const HOURS = Array.from({ length: 24 }, (_, hour) => String(hour).padStart(2, '0'))
const EXAMPLE_PIPELINES = [
  'bronze-orders-ingest',
  'silver-orders-hourly',
  'silver-orders-daily',
  'gold-revenue-daily',
  'gold-revenue-preview',
]
const IN_FLIGHT = new Set(['evaluating', 'triggering', 'running'])

/**
 * The hourly readings of one day: raw files landed (bronze), bronze ready (silver hourly), and the row
 * count silver writes (its post-run baseline, captured when the job completes).
 */
export const hourlyReadings = (date: string): ReadonlyArray<Reading> =>
  HOURS.flatMap((hour) => [
    {
      pipelineId: 'bronze-orders-ingest',
      key: `raw-orders-landed#${date}T${hour}`,
      data: { status: 'COMPLETE', files: 4 + (Number(hour) % 5), date, hour },
      id: `demo-raw-${date}T${hour}`,
    },
    {
      pipelineId: 'silver-orders-hourly',
      key: `bronze-orders-ready#${date}T${hour}`,
      data: { status: 'READY', count: 1_000 + Number(hour) * 37, date, hour },
      id: `demo-bronze-${date}T${hour}`,
    },
    ...postRunReadings(date, false).filter((reading) => reading.key.endsWith(`T${hour}`)),
  ])

/** Silver hourly's post-run readings: the row counts its jobs wrote; `drifted` moves hour 13 by 250 rows. */
export const postRunReadings = (date: string, drifted: boolean): ReadonlyArray<Reading> =>
  HOURS.map((hour) => ({
    pipelineId: 'silver-orders-hourly',
    key: `silver-orders-rows#${date}T${hour}`,
    data: { count: 990 + Number(hour) * 37 + (drifted && hour === '13' ? 250 : 0), date, hour },
    id: `demo-rows-${drifted ? 'late-' : ''}${date}T${hour}`,
  }))

/** The daily readings: the archetype's checks and the 24 hours done (silver daily). */
export const dailyReadings = (date: string, now: string): ReadonlyArray<Reading> => [
  ...['source-freshness', 'upstream-dependency', 'resource-availability'].map((key) => ({
    pipelineId: 'silver-orders-daily',
    key,
    data: { status: 'PASS', updatedAt: now, date },
  })),
  {
    pipelineId: 'silver-orders-daily',
    key: 'silver-hours-complete',
    data: { hours: 24, date },
    id: `demo-hours-${date}`,
  },
  // Gold needs no reading from the demo: when silver daily succeeds, the cascade (seed 001) records the
  // `silver-orders-daily` reading on both gold pipelines, whose rules read that key.
]

/** Waits until no run of the examples on `date` is still evaluating, triggering or running (bounded). */
const waitForRuns = async (client: ApiClient, date: string, io: CliIo, maxWaitMs: number): Promise<void> => {
  const started = Date.now()
  while (Date.now() - started < maxWaitMs) {
    let busy = 0
    for (const id of EXAMPLE_PIPELINES) {
      const runs = await client.list(`/api/pipelines/${id}/runs`, 200)
      busy += runs.filter(
        (run) =>
          String(run.period).startsWith(date) && IN_FLIGHT.has(String(run.status)) && run.dryRun !== true,
      ).length
    }
    if (busy === 0) return
    io.err(`  waiting for ${busy} run(s) to finish…`)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  }
}

/**
 * `npm run demo`: a day of the medallion examples through the API. Pushes the hourly readings, waits for
 * the jobs, pushes their post-run counts (one hour drifts), then the daily readings, and prints the runs.
 */
export const demo = async (
  io: CliIo,
  client: ApiClient,
  options: { readonly date: string; readonly json: boolean; readonly maxWaitMs: number },
): Promise<number> => {
  const { date } = options
  const progress = (label: string) => (done: number, total: number) =>
    io.err(`${label} ${progressBar(done, total)}`)
  const push = async (label: string, readings: ReadonlyArray<Reading>) => {
    const result = await pushReadings(client, readings, progress(label))
    for (const line of result.rejected) io.err(`  ${line}`)
    return result
  }
  io.err(`demo: one day of orders, ${date}`)
  await push('hourly sensors ', hourlyReadings(date))
  await waitForRuns(client, date, io, options.maxWaitMs)
  await push(
    'late count (drift)',
    postRunReadings(date, true).filter((reading) => reading.key.endsWith('T13')),
  )
  await push('daily sensors  ', dailyReadings(date, new Date().toISOString()))
  await waitForRuns(client, date, io, options.maxWaitMs)

  const summary = []
  for (const id of EXAMPLE_PIPELINES) {
    const runs = (await client.list(`/api/pipelines/${id}/runs`, 200)).filter((run) =>
      String(run.period).startsWith(date),
    )
    const byStatus = new Map<string, number>()
    for (const run of runs) {
      const status = `${String(run.status)}${run.dryRun === true ? ' (dry run)' : ''}`
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
    }
    summary.push({
      pipelineId: id,
      runs: runs.length,
      statuses: Object.fromEntries(byStatus),
      reruns: runs.reduce((sum, run) => sum + Number(run.rerunCount ?? 0), 0),
    })
  }
  const events = await client.list(`/api/events?since=${encodeURIComponent(`${date}T00:00:00Z`)}`, 2_000)
  const counts = new Map<string, number>()
  for (const event of events.filter((item) => String(item.period).startsWith(date)))
    counts.set(String(event.type), (counts.get(String(event.type)) ?? 0) + 1)
  if (options.json) {
    io.out(JSON.stringify({ date, pipelines: summary, events: Object.fromEntries(counts) }, null, 2))
    return 0
  }
  io.out(`\nWhat happened on ${date}:\n`)
  io.out(
    formatTable(
      ['PIPELINE', 'RUNS', 'STATUS', 'RERUNS'],
      summary.map((row) => [
        row.pipelineId,
        String(row.runs),
        Object.entries(row.statuses)
          .map(([status, count]) => `${count} ${status}`)
          .join(', ') || '-',
        String(row.reruns),
      ]),
    ),
  )
  io.out('\nEvents recorded:')
  io.out(
    formatTable(
      ['TYPE', 'COUNT'],
      [...counts.entries()].sort().map(([type, count]) => [type, cell(count)]),
    ),
  )
  io.out(
    '\nNext: `npm run interlock -- runs silver-orders-hourly`, `npm run interlock -- explain silver-orders-hourly ' +
      `${date}T13\``,
  )
  return 0
}
