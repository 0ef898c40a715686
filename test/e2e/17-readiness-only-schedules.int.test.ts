// Seed 001 "Multi-Schedule Support" as the README writes it: no `trigger:`, so a readiness-only pipeline
// (job type none). Each schedule opens the day's period at its `after` (06:00 and 18:00 in New York), is
// evaluated, and reports READY with no job started, under its own SLA (deadlines 09:00 and 21:00). The
// morning is ready at once and meets its SLA; the evening's traits are stale until after 21:00, so its
// window closes unready and breaches, and a rerun once the traits pass re-evaluates it to READY, its SLA
// verdict still breached. Nothing is ever started or polled.
import { SEED_MULTI_SCHEDULE_YAML } from '@interlock/domain'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const ID = 'multi-window-pipeline'
const DAY = '2026-03-02'
let interlock: Interlock

beforeAll(async () => {
  // 05:00 in New York (EST, UTC−5) on Monday 2026-03-02.
  interlock = await startInterlock({ start: '2026-03-02T10:00:00Z' })
})
afterAll(async () => {
  await interlock?.close()
})

/** The three traits of batch-ingestion pass, read fresh at the simulated `now` (their TTL is an age rule). */
const traitsPass = async (now: string) => {
  for (const key of ['source-freshness', 'upstream-dependency', 'resource-availability'])
    await interlock.sensor(ID, key, { status: 'PASS', updatedAt: now })
}
const runOf = async (schedule: string) =>
  (await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}?schedule=${schedule}`)).body as {
    readonly run: Record<string, unknown>
    readonly attempts: ReadonlyArray<Record<string, unknown>>
  }

it('runs both schedules of the seed block unchanged, each READY with its own SLA verdict, and starts no job', async () => {
  await interlock.register(ID, SEED_MULTI_SCHEDULE_YAML)

  // Morning: the traits pass just before 06:00; the 06:00 fire opens the period, which is ready at once.
  await interlock.advance('58m')
  await traitsPass('2026-03-02T10:58:00Z')
  await interlock.advance('30m')
  const morning = await runOf('morning')
  expect(morning.run).toMatchObject({
    scheduleId: 'morning',
    status: 'succeeded',
    jobRunId: null,
    finishedAt: '2026-03-02T11:00:00.000Z',
    sla: { breachAt: '2026-03-02T14:00:00.000Z', status: 'met' },
  })
  expect(morning.attempts).toMatchObject([{ cause: 'cron', status: 'succeeded', jobType: null }])

  // Evening: opened at 18:00 (23:00Z) on stale readings, it evaluates until its window closes at 21:00.
  await interlock.advance('12h')
  expect((await runOf('evening')).run).toMatchObject({ status: 'evaluating' })
  await interlock.advance('2h40m')
  expect((await runOf('evening')).run).toMatchObject({
    status: 'validation_exhausted',
    sla: { breachAt: '2026-03-03T02:00:00.000Z', status: 'breached' },
  })

  // The traits pass at 21:08; a rerun re-evaluates readiness: READY, the verdict stays breached.
  await traitsPass('2026-03-03T02:08:00Z')
  const rerun = await interlock.call('POST', `/api/pipelines/${ID}/reruns`, {
    period: DAY,
    schedule: 'evening',
    reason: 'traits passed after the deadline',
  })
  expect(rerun).toMatchObject({ status: 202, body: { decision: 'accepted' } })
  await interlock.advance('1m')
  const evening = await runOf('evening')
  expect(evening.run).toMatchObject({
    scheduleId: 'evening',
    status: 'succeeded',
    jobRunId: null,
    sla: { status: 'breached' },
  })
  expect(evening.attempts).toMatchObject([
    { cause: 'cron', status: 'validation_exhausted', jobType: null },
    { cause: 'rerun', status: 'succeeded', jobType: null },
  ])

  const published = (await interlock.events(ID))
    .filter((event) => /^(SLA_|PIPELINE_READY|JOB_|VALIDATION_EXHAUSTED|RERUN_)/.test(event.type))
    .map((event) => [event.scheduleId, event.type, event.occurredAt])
  expect(published.filter(([schedule]) => schedule === 'morning')).toEqual([
    ['morning', 'PIPELINE_READY', '2026-03-02T11:00:00.000Z'],
    ['morning', 'SLA_MET', '2026-03-02T11:00:00.000Z'],
  ])
  // The breach timer and the window's end fall on the same instant; either may be decided first.
  const evenings = published.filter(([schedule]) => schedule === 'evening')
  expect(evenings.slice(0, 2)).toHaveLength(2)
  expect(evenings.slice(0, 2)).toEqual(
    expect.arrayContaining([
      ['evening', 'SLA_BREACH', '2026-03-03T02:00:00.000Z'],
      ['evening', 'VALIDATION_EXHAUSTED', '2026-03-03T02:00:00.000Z'],
    ]),
  )
  expect(evenings.slice(2)).toEqual([
    ['evening', 'RERUN_ACCEPTED', expect.any(String)],
    ['evening', 'PIPELINE_READY', '2026-03-03T02:08:00.000Z'],
  ])
  const ready = (await interlock.events(ID)).find((event) => event.type === 'PIPELINE_READY')
  expect(ready?.message).toBe('multi-window-pipeline is ready (readiness-only pipeline: no job to start)')

  // No job was asked for, claimed, started or polled for either schedule.
  expect(
    await interlock.query(
      `select count(*)::int as n from events where type in ('JobStartRequested', 'JobStartClaimed', 'JobStarted', 'JobStatusCheckRequested')`,
    ),
  ).toEqual([{ n: 0 }])
}, 120_000)
