import { createTestDatabase, type TestDatabase } from '@interlock/db'
import pg from 'pg'
import { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimulatedClock, systemClock } from './clock.ts'
import { type TimerJob, Timers } from './timers.ts'

const T0 = Date.parse('2026-01-05T00:00:00Z')
const at = (minutes: number) => T0 + minutes * 60_000

let database: TestDatabase
let pool: pg.Pool
let boss: PgBoss

beforeAll(async () => {
  database = await createTestDatabase()
  pool = new pg.Pool({ connectionString: database.url })
  boss = new PgBoss({ connectionString: database.url, schema: 'pgboss' })
  boss.on('error', () => {})
  await boss.start()
})
afterAll(async () => {
  await boss.stop({ graceful: false })
  await pool.end()
  await database.drop()
})

async function inTransaction(work: (tx: pg.PoolClient) => Promise<void>, outcome: 'commit' | 'rollback') {
  const client = await pool.connect()
  try {
    await client.query('begin')
    await work(client)
    await client.query(outcome)
  } finally {
    client.release()
  }
}

const timer = (streamId: string, timerId: string, fireAt: number): TimerJob => ({
  streamId,
  run: { pipelineId: 'orders', scheduleId: 'default', period: '2026-01-05' },
  timerId,
  fireAt,
  command: { _tag: 'EvaluateRun', timerId },
})

describe('timers under a simulated clock', () => {
  it('exist exactly when the transaction that scheduled them commits', async () => {
    const clock = new SimulatedClock(T0)
    const timers = new Timers(boss, clock)
    await timers.createQueue()
    await inTransaction((tx) => timers.schedule(tx, timer('run-rolled-back', 'a', at(5))), 'rollback')
    await inTransaction((tx) => timers.schedule(tx, timer('run-committed', 'a', at(5))), 'commit')
    expect((await timers.pending()).map((t) => t.streamId)).toEqual(['run-committed'])
    await timers.advanceTo(
      clock,
      at(10),
      async () => {},
      async () => {},
    )
  })

  it('are scheduled many to a statement, with the same one-per-key rule and only if the transaction commits', async () => {
    const clock = new SimulatedClock(T0)
    const timers = new Timers(boss, clock)
    await inTransaction((tx) => timers.scheduleMany(tx, [timer('run-many-lost', 'a', at(5))]), 'rollback')
    await inTransaction((tx) => timers.schedule(tx, timer('run-many-1', 'cron', at(7))), 'commit')
    await inTransaction(
      (tx) =>
        timers.scheduleMany(tx, [
          timer('run-many-1', 'cron', at(7)),
          timer('run-many-2', 'cron', at(6)),
          timer('run-many-3', 'cron', at(8)),
        ]),
      'commit',
    )
    expect((await timers.pending()).map((t) => [t.streamId, t.fireAt])).toEqual([
      ['run-many-2', at(6)],
      ['run-many-1', at(7)],
      ['run-many-3', at(8)],
    ])
    const fired: string[] = []
    await timers.advanceTo(
      clock,
      at(10),
      async (due) => {
        fired.push(due.streamId)
      },
      async () => {},
    )
    expect(fired).toEqual(['run-many-2', 'run-many-1', 'run-many-3'])
  })

  it('keep one timer per key however often it is requested', async () => {
    const clock = new SimulatedClock(T0)
    const timers = new Timers(boss, clock)
    for (let i = 0; i < 3; i++) {
      await inTransaction((tx) => timers.schedule(tx, timer('run-dup', 'poll/1', at(5))), 'commit')
    }
    expect(await timers.pending()).toEqual([timer('run-dup', 'poll/1', at(5))])
    await timers.advanceTo(
      clock,
      at(10),
      async () => {},
      async () => {},
    )
  })

  it('fire in fireAt order at their exact virtual instants, including timers scheduled on the way', async () => {
    const clock = new SimulatedClock(T0)
    const timers = new Timers(boss, clock)
    for (const [id, minute] of [
      ['c', 30],
      ['a', 10],
      ['b', 20],
      ['later', 100],
    ] as const) {
      await inTransaction((tx) => timers.schedule(tx, timer('run-order', id, at(minute))), 'commit')
    }
    const fired: Array<[string, number]> = []
    const count = await timers.advanceTo(
      clock,
      at(60),
      async (due) => {
        fired.push([due.timerId, clock.now()])
        // Firing 'a' asks for a timer at minute 15, which must fire before 'b'.
        if (due.timerId === 'a') {
          await inTransaction((tx) => timers.schedule(tx, timer('run-order', 'a2', at(15))), 'commit')
        }
      },
      async () => {},
    )
    expect(fired).toEqual([
      ['a', at(10)],
      ['a2', at(15)],
      ['b', at(20)],
      ['c', at(30)],
    ])
    expect(count).toBe(4)
    expect(clock.now()).toBe(at(60))
    expect((await timers.pending()).map((t) => t.timerId)).toEqual(['later'])
  })
})

describe('timers under the system clock', () => {
  it('are fired by pg-boss workers once due', async () => {
    const timers = new Timers(boss, systemClock)
    await inTransaction((tx) => timers.schedule(tx, timer('run-live', 'due', Date.now() - 1_000)), 'commit')
    const fired = await new Promise<TimerJob>((resolve) => {
      void timers.work(async (due) => {
        if (due.streamId === 'run-live') resolve(due)
      })
    })
    expect(fired.timerId).toBe('due')
  })
})
