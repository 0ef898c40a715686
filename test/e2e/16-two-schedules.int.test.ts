// Seed 001 "Multi-Schedule Support" (C14): the README's multi-window pipeline, verbatim, with an Airflow
// trigger. Each schedule opens the same day's period at its own `after` (06:00 and 18:00 in New York) and
// has its own run, lock and SLA (deadlines 09:00 and 21:00): the morning job finishes at once and meets its
// SLA; the evening's readiness comes late, its job finishes after 21:00, and only the evening breaches.
import { SEED_MULTI_SCHEDULE_YAML } from '@interlock/domain'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const ID = 'multi-window-pipeline'
const DAY = '2026-03-02'
let interlock: Interlock
let airflow: FakeAirflow

beforeAll(async () => {
  airflow = await startFakeAirflow()
  // 05:00 in New York (EST, UTC−5) on Monday 2026-03-02.
  interlock = await startInterlock({ start: '2026-03-02T10:00:00Z' })
})
afterAll(async () => {
  await interlock?.close()
  await airflow?.close()
})

/** The three traits of batch-ingestion pass, read fresh at the simulated `now` (their TTL is an age rule). */
const traitsPass = async (now: string) => {
  for (const key of ['source-freshness', 'upstream-dependency', 'resource-availability'])
    await interlock.sensor(ID, key, { status: 'PASS', updatedAt: now })
}

it('runs the morning and evening schedules of one day independently, each with its own SLA verdict', async () => {
  await interlock.register(
    ID,
    `${SEED_MULTI_SCHEDULE_YAML}trigger:\n  type: airflow\n  url: ${airflow.url}\n  dagID: multi_window\n`,
  )
  // Morning: the traits pass just before 06:00; the 06:00 fire opens the period and the job succeeds.
  airflow.runs.next({ states: ['success'] })
  await interlock.advance('58m')
  await traitsPass('2026-03-02T10:58:00Z')
  await interlock.advance('30m')
  const morning = await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}?schedule=morning`)
  expect(morning.body).toMatchObject({
    run: {
      scheduleId: 'morning',
      status: 'succeeded',
      sla: { breachAt: '2026-03-02T14:00:00.000Z', status: 'met' },
    },
  })
  // Evening: opened at 18:00 (23:00Z) on stale readings, it waits; the traits pass at 20:52 and the job,
  // ten minutes of polls, ends after 21:00.
  airflow.runs.next({ states: [...Array.from({ length: 9 }, () => 'running' as const), 'success'] })
  await interlock.advance('12h')
  const waiting = await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}?schedule=evening`)
  expect(waiting.body).toMatchObject({ run: { status: 'evaluating' } })
  await interlock.advance('2h24m')
  await traitsPass('2026-03-03T01:52:00Z')
  await interlock.advance('30m')
  const evening = await interlock.call('GET', `/api/pipelines/${ID}/runs/${DAY}?schedule=evening`)
  expect(evening.body).toMatchObject({
    run: {
      scheduleId: 'evening',
      status: 'succeeded',
      sla: { breachAt: '2026-03-03T02:00:00.000Z', status: 'breached' },
    },
  })

  const verdicts = (await interlock.events(ID))
    .filter((event) => event.type.startsWith('SLA_') || event.type === 'JOB_TRIGGERED')
    .map((event) => [event.scheduleId, event.period, event.type, event.occurredAt])
  expect(verdicts).toEqual([
    ['morning', DAY, 'JOB_TRIGGERED', '2026-03-02T11:00:00.000Z'],
    ['morning', DAY, 'SLA_MET', expect.any(String)],
    ['evening', DAY, 'JOB_TRIGGERED', '2026-03-03T01:55:00.000Z'],
    ['evening', DAY, 'SLA_BREACH', '2026-03-03T02:00:00.000Z'],
  ])
  // One DAG run per schedule: the two runs of the day never share a lock or an attempt.
  expect(airflow.requests.filter((request) => request.method === 'POST')).toHaveLength(2)
}, 120_000)
