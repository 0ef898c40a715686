import { createTestDatabase, type TestDatabase } from '@interlock/db'
import {
  type FakeSlack,
  slackStatus,
  startFakeSlack,
  startWebhookReceiver,
  type WebhookReceiver,
} from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processorConfig } from '../config.ts'
import { type Processor, startProcessor } from '../processor.ts'
import type { Alert } from './alert.ts'

// A pipeline whose data never passes while its SLA runs out: the processor warns, then breaches.
const LATE = `
pipeline: { id: late-orders, owner: orders-team }
schedule:
  timezone: UTC
  trigger: { key: landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 30h, interval: 1h }
sla: { deadline: "10:00", expectedDuration: 30m }
validation:
  trigger: ALL
  rules:
    - { key: landed, check: equals, field: status, value: COMPLETE }
    - { key: rows, check: gte, field: count, value: 1000 }
job:
  type: command
  config: { command: "true" }
`

let database: TestDatabase
let processor: Processor
let slack: FakeSlack
let webhook: WebhookReceiver

beforeAll(async () => {
  database = await createTestDatabase()
  slack = await startFakeSlack()
  webhook = await startWebhookReceiver()
  slack.failAlways(slackStatus(503))
  processor = await startProcessor(
    processorConfig(database.url, {
      INTERLOCK_CLOCK: 'simulated',
      INTERLOCK_CLOCK_START: '2026-01-05T06:00:00Z',
      INTERLOCK_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32',
      INTERLOCK_ALERT_SLACK_TOKEN: slack.token,
      INTERLOCK_ALERT_SLACK_CHANNEL: 'C0ORDERS',
      INTERLOCK_ALERT_SLACK_API_URL: slack.apiUrl,
      INTERLOCK_ALERT_WEBHOOK_URL: `${webhook.url}/alerts`,
      INTERLOCK_ALERT_MAX_ATTEMPTS: '2',
      INTERLOCK_ALERT_RETRY_BASE_MS: '1',
      INTERLOCK_ALERT_RETRY_MAX_MS: '10',
    }),
  )
})
afterAll(async () => {
  await slack.close()
  await webhook.close()
  await processor.stop()
  await database.drop()
})

describe('alerts of a running processor', () => {
  it('reaches the webhook at the SLA instants while Slack is down, and Slack failures are dead-lettered', async () => {
    await processor.bus.registerPipeline(LATE, { actor: 'test' })
    await processor.bus.recordSensor(
      { pipelineId: 'late-orders', key: 'landed', data: { status: 'COMPLETE', date: '2026-01-05' } },
      { actor: 'test' },
    )
    await processor.settle()
    await processor.advanceTo(Date.parse('2026-01-06T12:00:00Z'))
    await processor.alerts.settle()

    const sla = webhook.received
      .map((received) => received.body as Alert & { text: string })
      .filter((alert) => alert.type.startsWith('SLA_'))
    // The timers' alerts; the verdict after validation runs out may follow (a domain decision, not checked here).
    expect(sla.slice(0, 2).map((alert) => [alert.type, alert.occurredAt, alert.owner])).toEqual([
      ['SLA_WARNING', '2026-01-06T09:30:00.000Z', 'orders-team'],
      ['SLA_BREACH', '2026-01-06T10:00:00.000Z', 'orders-team'],
    ])
    expect(sla[0]?.text.split('\n')).toEqual([
      '🟡 *SLA_WARNING* | late-orders | 2026-01-05',
      'pipeline late-orders: SLA_WARNING',
      'Deadline 10:00 (2026-01-06T10:00:00.000Z) · Status: RUNNING · Source: schedule',
      '→ pipeline running — may complete before breach',
      'Owner: orders-team',
    ])
    expect(slack.messages).toEqual([])
    const { rows } = await processor.pool.query<{ type: string }>(
      `select payload->'alert'->>'type' as type from dead_letters where kind = 'alert' and payload->>'sink' = 'slack'
       order by id`,
    )
    expect(rows.map((row) => row.type)).toEqual(
      webhook.received.map((received) => (received.body as Alert).type),
    )
  })
})
