import type { Queryable } from '@interlock/eventstore'
import { Schema } from 'effect'
import { Alert } from './alert.ts'
import type { SinkName } from './alert-config.ts'

// Every statement of the alert dispatcher, over the tables of db/migrations/0003_api.sql (-- alerts).

/** A row of `alert_deliveries` as a worker claims it (int8 arrives as a string). */
interface ClaimedRow {
  readonly event_position: string
  readonly alert: unknown
  readonly attempts: number
}

/** One alert to deliver to one sink. */
export interface AlertDelivery {
  readonly position: bigint
  readonly sink: SinkName
  readonly alert: Alert
  /** Attempts spent before this one. */
  readonly attempts: number
}

const decodeAlert = Schema.decodeUnknownSync(Alert)

/**
 * Queues deliveries, skipping those queued before (the same event read again, at-least-once): returns how
 * many are new.
 */
export async function insertAlertDeliveries(
  db: Queryable,
  deliveries: ReadonlyArray<{ readonly position: bigint; readonly sink: SinkName; readonly alert: Alert }>,
): Promise<number> {
  if (deliveries.length === 0) return 0
  const result = await db.query({
    name: 'alerts_insert_deliveries',
    text: `insert into alert_deliveries (event_position, sink, alert, status, next_attempt_at)
           select position, sink, alert, 'pending', now()
           from unnest($1::bigint[], $2::text[], $3::jsonb[]) as queued (position, sink, alert)
           on conflict (event_position, sink) do nothing`,
    values: [
      deliveries.map((delivery) => delivery.position.toString()),
      deliveries.map((delivery) => delivery.sink),
      deliveries.map((delivery) => JSON.stringify(delivery.alert)),
    ],
  })
  return result.rowCount ?? 0
}

/**
 * Claims up to `limit` due deliveries of a sink, oldest event first, by moving their next attempt past a
 * lease: a second processor's worker skips them, and takes them over if this one dies holding them.
 */
export async function claimAlertDeliveries(
  db: Queryable,
  sink: SinkName,
  limit: number,
  leaseMs: number,
): Promise<ReadonlyArray<AlertDelivery>> {
  const { rows } = await db.query<ClaimedRow>({
    name: 'alerts_claim_deliveries',
    text: `with due as (
             select event_position from alert_deliveries
             where sink = $1 and status = 'pending' and next_attempt_at <= now()
             order by event_position
             limit $2
             for update skip locked
           )
           update alert_deliveries d
           set next_attempt_at = now() + $3::int * interval '1 millisecond'
           from due
           where d.sink = $1 and d.event_position = due.event_position
           returning d.event_position, d.alert, d.attempts`,
    values: [sink, limit, leaseMs],
  })
  return rows
    .map((row) => ({
      position: BigInt(row.event_position),
      sink,
      alert: decodeAlert(row.alert),
      attempts: row.attempts,
    }))
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0))
}

/** Hands claimed deliveries back at once (a worker stopping before it got to them). */
export async function releaseAlertDeliveries(
  db: Queryable,
  sink: SinkName,
  positions: ReadonlyArray<bigint>,
): Promise<void> {
  if (positions.length === 0) return
  await db.query({
    name: 'alerts_release_deliveries',
    text: `update alert_deliveries set next_attempt_at = now()
           where sink = $1 and event_position = any($2::bigint[]) and status = 'pending'`,
    values: [sink, positions.map((position) => position.toString())],
  })
}

export async function markAlertSent(db: Queryable, delivery: AlertDelivery): Promise<void> {
  await db.query({
    name: 'alerts_mark_sent',
    text: `update alert_deliveries set status = 'sent', attempts = attempts + 1, sent_at = now(), last_error = null
           where event_position = $1 and sink = $2`,
    values: [delivery.position.toString(), delivery.sink],
  })
}

/** Records a failed attempt and when to try again. */
export async function scheduleAlertRetry(
  db: Queryable,
  delivery: AlertDelivery,
  delayMs: number,
  error: string,
): Promise<void> {
  await db.query({
    name: 'alerts_schedule_retry',
    text: `update alert_deliveries
           set attempts = attempts + 1, last_error = $3, next_attempt_at = now() + $4::int * interval '1 millisecond'
           where event_position = $1 and sink = $2`,
    values: [delivery.position.toString(), delivery.sink, error, Math.round(delayMs)],
  })
}

/** Records the last failed attempt of a delivery given up on (its dead letter is written beside it). */
export async function markAlertDeadLettered(
  db: Queryable,
  delivery: AlertDelivery,
  error: string,
): Promise<void> {
  await db.query({
    name: 'alerts_mark_dead_lettered',
    text: `update alert_deliveries set status = 'dead-lettered', attempts = attempts + 1, last_error = $3
           where event_position = $1 and sink = $2`,
    values: [delivery.position.toString(), delivery.sink, error],
  })
}

/**
 * Puts a dead-lettered delivery back in the queue with a fresh retry budget (a redrive). Returns false
 * when there is no such dead-lettered delivery.
 */
export async function requeueAlertDelivery(
  db: Queryable,
  position: bigint,
  sink: SinkName,
): Promise<boolean> {
  const result = await db.query({
    name: 'alerts_requeue_delivery',
    text: `update alert_deliveries set status = 'pending', attempts = 0, next_attempt_at = now()
           where event_position = $1 and sink = $2 and status = 'dead-lettered'`,
    values: [position.toString(), sink],
  })
  return result.rowCount === 1
}

/** Pending deliveries of these sinks, and how long until the soonest is due (0 when one is due now). */
export async function pendingAlertDeliveries(
  db: Queryable,
  sinks: ReadonlyArray<SinkName>,
): Promise<{ readonly count: number; readonly dueInMs: number | null }> {
  const { rows } = await db.query<{ count: number; due_in_ms: number | null }>({
    name: 'alerts_pending_deliveries',
    text: `select count(*)::int as count,
                  greatest(0, ceil(extract(epoch from min(next_attempt_at) - now()) * 1000))::int as due_in_ms
           from alert_deliveries where sink = any($1::text[]) and status = 'pending'`,
    values: [sinks],
  })
  const row = rows[0]
  return { count: row?.count ?? 0, dueInMs: row?.due_in_ms ?? null }
}

/** What identifies a Slack thread: one run in one channel. */
export interface SlackThreadKey {
  readonly pipelineId: string
  readonly scheduleId: string
  readonly period: string
  readonly channel: string
}

export async function selectSlackThread(db: Queryable, key: SlackThreadKey): Promise<string | undefined> {
  const { rows } = await db.query<{ thread_ts: string }>({
    name: 'alerts_select_slack_thread',
    text: `select thread_ts from alert_slack_threads
           where pipeline_id = $1 and schedule_id = $2 and period = $3 and channel = $4`,
    values: [key.pipelineId, key.scheduleId, key.period, key.channel],
  })
  return rows[0]?.thread_ts
}

/** Keeps the first thread of a run: a second "first" message (a race) does not replace it. */
export async function insertSlackThreadIfAbsent(
  db: Queryable,
  key: SlackThreadKey,
  threadTs: string,
  channelId: string,
): Promise<void> {
  await db.query({
    name: 'alerts_insert_slack_thread',
    text: `insert into alert_slack_threads (pipeline_id, schedule_id, period, channel, thread_ts, channel_id)
           values ($1, $2, $3, $4, $5, $6)
           on conflict (pipeline_id, schedule_id, period, channel) do nothing`,
    values: [key.pipelineId, key.scheduleId, key.period, key.channel, threadTs, channelId],
  })
}

/** Forgets a thread Slack no longer knows (its first message was deleted), so the next alert starts a new one. */
export async function deleteSlackThread(db: Queryable, key: SlackThreadKey, threadTs: string): Promise<void> {
  await db.query({
    name: 'alerts_delete_slack_thread',
    text: `delete from alert_slack_threads
           where pipeline_id = $1 and schedule_id = $2 and period = $3 and channel = $4 and thread_ts = $5`,
    values: [key.pipelineId, key.scheduleId, key.period, key.channel, threadTs],
  })
}

/** The position of the last event in the log (0 when it is empty). */
export async function logHead(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ position: string }>({
    name: 'alerts_log_head',
    text: 'select coalesce(max(global_position), 0)::text as position from events',
  })
  return BigInt(rows[0]?.position ?? '0')
}

/** How far a subscription (the alert dispatcher's) has read (0 before its first batch). */
export async function subscriptionPosition(db: Queryable, name: string): Promise<bigint> {
  const { rows } = await db.query<{ position: string }>({
    name: 'alerts_subscription_position',
    text: 'select global_position::text as position from event_subscriptions where name = $1',
    values: [name],
  })
  return BigInt(rows[0]?.position ?? '0')
}
