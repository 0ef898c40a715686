// Seed 000 scenario 7 / seed 001 "Cascade (Downstream Notification)": silver completes → Interlock writes
// the `silver-orders` reading on every pipeline whose rules read that key → gold evaluates → triggers.
// Proves that a downstream pipeline starts from its upstream's success alone, in the same period, exactly
// once, and that a pipeline that does not read the key is left alone.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'

const DAY = '2026-03-02'
let interlock: Interlock
let airflow: FakeAirflow

beforeAll(async () => {
  airflow = await startFakeAirflow()
  interlock = await startInterlock()
})
afterAll(async () => {
  await interlock?.close()
  await airflow?.close()
})

const pipeline = (id: string, key: string, dagId: string, url: string) => `
pipeline:
  id: ${id}
schedule:
  timezone: UTC
  trigger: { key: ${key}, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 30m, interval: 2m }
validation:
  rules:
    - { key: ${key}, check: equals, field: status, value: COMPLETE }
job:
  type: airflow
  config: { url: "${url}", dagId: ${dagId} }
`

const dagRunsStarted = (dagId: string) =>
  airflow.requests.filter(
    (request) => request.method === 'POST' && request.path === `/api/v1/dags/${dagId}/dagRuns`,
  )

it('starts the downstream pipeline from the upstream success alone, once, in the same period', async () => {
  await interlock.register(
    'silver-orders',
    pipeline('silver-orders', 'bronze-orders', 'silver_orders', airflow.url),
  )
  await interlock.register(
    'gold-revenue',
    pipeline('gold-revenue', 'silver-orders', 'gold_revenue', airflow.url),
  )
  await interlock.register('marketing', pipeline('marketing', 'crm-export', 'marketing', airflow.url))

  await interlock.sensor('silver-orders', 'bronze-orders', { status: 'COMPLETE', date: DAY })
  await interlock.advance('0s')
  expect(dagRunsStarted('silver_orders')).toHaveLength(1)
  expect(dagRunsStarted('gold_revenue')).toHaveLength(0)

  // Silver's DAG run succeeds at its second poll: its success writes gold's reading, and gold starts.
  await interlock.advance('2m')
  expect(await interlock.eventTypes('silver-orders')).toEqual([
    'VALIDATION_PASSED',
    'JOB_TRIGGERED',
    'JOB_COMPLETED',
  ])
  expect(await interlock.eventTypes('gold-revenue')).toEqual(['VALIDATION_PASSED', 'JOB_TRIGGERED'])
  expect(dagRunsStarted('gold_revenue')).toHaveLength(1)
  const gold = await interlock.call('GET', '/api/pipelines/gold-revenue/sensors')
  expect(gold).toMatchObject({
    status: 200,
    body: {
      items: [
        {
          key: 'silver-orders',
          period: DAY,
          data: { status: 'COMPLETE', date: DAY, upstreamPipelineId: 'silver-orders', source: 'cascade' },
        },
      ],
    },
  })

  await interlock.advance('2m')
  expect(await interlock.eventTypes('gold-revenue')).toEqual([
    'VALIDATION_PASSED',
    'JOB_TRIGGERED',
    'JOB_COMPLETED',
  ])
  expect(await interlock.run('gold-revenue', DAY)).toMatchObject({
    run: { status: 'succeeded', attemptCount: 1 },
    attempts: [{ cause: 'sensor', sensorKey: 'silver-orders', status: 'succeeded' }],
  })

  // Nothing else moves: one start each, and the pipeline that does not read `silver-orders` has no run.
  await interlock.advance('1h')
  expect(dagRunsStarted('silver_orders')).toHaveLength(1)
  expect(dagRunsStarted('gold_revenue')).toHaveLength(1)
  expect(dagRunsStarted('marketing')).toHaveLength(0)
  expect(await interlock.eventTypes('marketing')).toEqual([])
  expect((await interlock.alerts()).map((alert) => [alert.type, alert.pipelineId])).toEqual([
    ['JOB_COMPLETED', 'silver-orders'],
    ['JOB_COMPLETED', 'gold-revenue'],
  ])
})
