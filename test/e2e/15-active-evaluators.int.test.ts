// Seed 001's active evaluators (C15), with the example pipeline and evaluators the repository ships:
// `daily-sales-rollup` is gated by a Python evaluator (source freshness) and a shell one (disk space).
// When the sales land, Interlock runs both, records their results as sensor readings, and starts the job;
// the run's explain trace shows each result (FAIL, timeout, crash and garbage: the processor's evaluator tests).
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const ID = 'daily-sales-rollup'
let interlock: Interlock

beforeAll(async () => {
  interlock = await startInterlock({ env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } })
  // The example names its scripts relative to the repository root, where `npm start` runs.
  const yaml = (await readFile(`${ROOT}examples/pipelines/${ID}.yaml`, 'utf8')).replaceAll(
    'examples/',
    `${ROOT}examples/`,
  )
  await interlock.register(ID, yaml)
})
afterAll(async () => {
  await interlock?.close()
})

interface Explain {
  readonly text: string
}

it('runs the example evaluators at the evaluation, records their results and starts the job', async () => {
  await interlock.sensor(ID, 'sales-landed', { date: '2026-03-01' })
  await interlock.advance('1s')
  const events = (await interlock.events(ID)).filter((event) => event.period === '2026-03-01')
  expect(events.map((event) => event.type)).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED', 'JOB_COMPLETED'])

  const trace = (await interlock.call('GET', `/api/pipelines/${ID}/runs/2026-03-01/explain`)).body as Explain
  expect(trace.text).toContain('sensor source-freshness recorded')
  expect(trace.text).toContain('sensor resource-availability recorded')
  expect(trace.text).toContain('✔ source-freshness.status equals "PASS" (actual "PASS")')
  expect(trace.text).toContain('✔ source-freshness.updatedAt age_lt')
  expect(trace.text).toContain('✔ resource-availability.status equals "PASS" (actual "PASS")')
  expect(trace.text).toContain('"source":"evaluator"')

  const sensors = (await interlock.call('GET', `/api/pipelines/${ID}/sensors`)).body
  expect(JSON.stringify(sensors)).toContain('"source":"evaluator"')
})
