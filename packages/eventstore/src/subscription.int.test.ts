import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Checkpoint, START } from './checkpoint.ts'
import { type RawEvent, rawCodec } from './codec.ts'
import type { EventStore, RecordedEvent } from './event-store.ts'
import { Subscription } from './subscription.ts'
import { createTestStore, type TestStore } from './test-store.ts'

const reading = (value: number): RawEvent => ({ _tag: 'SensorRecorded', value })
const valuesOf = (events: ReadonlyArray<RecordedEvent<RawEvent>>) =>
  events.map((e) => e.event.value as number)

/**
 * readAll, asked again until it returns at least `count` events: any writing transaction on the server
 * (another test file's) may hold the horizon back for a moment, and the reader then sees "not yet".
 */
async function readAtLeast(store: EventStore<RawEvent>, after: Checkpoint, count: number) {
  for (;;) {
    const page = await store.readAll(after)
    if (page.events.length >= count) return page
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A long backstop poll: anything delivered quickly here was delivered by a wake-up, not by polling. */
const NO_POLL = 60_000

let t: TestStore<RawEvent>
beforeAll(async () => {
  t = await createTestStore(rawCodec)
  await t.pool.query('create table projected (value int primary key)')
})
afterAll(async () => {
  await t.close()
})

describe('readAll, with a transaction that commits late', () => {
  it('waits for the open transaction, then delivers every event exactly once, in order', async () => {
    const fresh = await createTestStore(rawCodec)
    try {
      const { store } = fresh
      await store.append('run-a', 'any', [reading(1)])

      // A takes its transaction id and a global position first, then stays open.
      const slow = new pg.Client({ connectionString: fresh.database.url })
      await slow.connect()
      await slow.query('begin')
      await store.append('run-slow', 'any', [reading(2)], { tx: slow })

      // B and C commit while A is still open; B's and C's positions come after A's.
      await store.append('run-b', 'any', [reading(3)])
      await store.append('run-c', 'any', [reading(4)])

      const whileOpen = await readAtLeast(store, START, 1)
      expect(valuesOf(whileOpen.events)).toEqual([1])

      await slow.query('commit')
      await slow.end()

      const afterCommit = await readAtLeast(store, whileOpen.checkpoint, 3)
      expect(valuesOf(afterCommit.events)).toEqual([2, 3, 4])
      const nothingMore = await store.readAll(afterCommit.checkpoint)
      expect(nothingMore.events).toEqual([])
    } finally {
      await fresh.close()
    }
  })

  it('never skips an event whose global position is lower than one already read', async () => {
    const fresh = await createTestStore(rawCodec)
    try {
      const { store } = fresh
      // A inserts first (lower position), B inserts later (higher position) but commits first:
      // a reader that checkpointed by position alone would pass A's position and lose it.
      const early = new pg.Client({ connectionString: fresh.database.url })
      await early.connect()
      await early.query('begin')
      await store.append('run-early', 'any', [reading(10)], { tx: early })
      await store.append('run-late', 'any', [reading(20)])

      const delivered: number[] = []
      const subscription = new Subscription(
        store,
        'out-of-order',
        async (events) => {
          delivered.push(...valuesOf(events))
        },
        { pollIntervalMs: 20 },
      )
      // 20 is committed but held back behind the open transaction: the subscription is not caught up.
      let caughtUp = false
      const waiting = subscription.caughtUp().then(() => {
        caughtUp = true
      })
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(delivered).toEqual([])
      expect(caughtUp).toBe(false)

      await early.query('commit')
      await early.end()
      await waiting
      await subscription.stop()
      const { rows } = await fresh.pool.query<{ value: number }>(
        "select (data->>'value')::int as value from events order by global_position",
      )
      expect(rows.map((row) => row.value)).toEqual([10, 20])
      expect(delivered).toEqual([10, 20])
    } finally {
      await fresh.close()
    }
  })
})

describe('subscribe', () => {
  it('catches up, follows live appends, and writes its rows and checkpoint in one transaction', async () => {
    for (let i = 1; i <= 5; i++) await t.store.append(`run-sub-${i}`, 'no_stream', [reading(i)])
    const subscription = new Subscription(
      t.store,
      'projection',
      async (events, { tx }) => {
        for (const value of valuesOf(events))
          await tx!.query('insert into projected (value) values ($1)', [value])
      },
      { pollIntervalMs: NO_POLL, batchSize: 2 },
    )
    await subscription.caughtUp()
    for (let i = 6; i <= 8; i++) await t.store.append(`run-sub-${i}`, 'no_stream', [reading(i)])
    await subscription.caughtUp()
    await subscription.stop()
    const { rows } = await t.pool.query('select value from projected order by value')
    expect(rows.map((row) => row.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('resumes from its stored checkpoint after a restart, delivering nothing twice', async () => {
    const seen: number[] = []
    const restarted = new Subscription(
      t.store,
      'projection',
      async (events, { tx }) => {
        seen.push(...valuesOf(events))
        for (const value of valuesOf(events))
          await tx!.query('insert into projected (value) values ($1)', [value])
      },
      { pollIntervalMs: NO_POLL },
    )
    await t.store.append('run-sub-9', 'no_stream', [reading(9)])
    await restarted.caughtUp()
    await restarted.stop()
    expect(seen).toEqual([9])
  })

  it('rolls back the rows of a failed batch with its checkpoint and retries it, so no row is written twice', async () => {
    await t.pool.query('create table projected_once (value int primary key)')
    let failuresLeft = 1
    const errors: unknown[] = []
    const subscription = new Subscription(
      t.store,
      'flaky-projection',
      async (events, { tx }) => {
        for (const value of valuesOf(events))
          await tx!.query('insert into projected_once (value) values ($1)', [value])
        if (failuresLeft-- > 0) throw new Error('projection crashed mid-batch')
      },
      { pollIntervalMs: 20, onError: (error) => errors.push(error) },
    )
    await subscription.caughtUp()
    await subscription.stop()
    const { rows } = await t.pool.query<{ n: number }>('select count(*)::int as n from projected_once')
    const total = await t.pool.query<{ n: number }>('select count(*)::int as n from events')
    expect(errors).toHaveLength(1)
    expect(rows[0]!.n).toBe(total.rows[0]!.n)
  })

  it('is held by one process at a time; a standby takes over from the checkpoint when the holder stops', async () => {
    const other = t.secondStore()
    const byFirst: number[] = []
    const bySecond: number[] = []
    const first = new Subscription(
      t.store,
      'single-holder',
      async (events) => {
        byFirst.push(...valuesOf(events))
      },
      { pollIntervalMs: 20 },
    )
    await first.caughtUp()
    const second = new Subscription(
      other,
      'single-holder',
      async (events) => {
        bySecond.push(...valuesOf(events))
      },
      { pollIntervalMs: 20 },
    )
    await t.store.append('run-holder-1', 'no_stream', [reading(101)])
    await first.caughtUp()
    expect(second.state).toBe('standby')
    await first.stop()
    await t.store.append('run-holder-2', 'no_stream', [reading(102)])
    await second.caughtUp()
    await second.stop()
    expect(byFirst).toContain(101)
    expect(bySecond).toEqual([102])
  })

  it('holds no transaction while an at-least-once handler runs, so other readers are not held back', async () => {
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    let entered: () => void = () => {}
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve
    })
    const contexts: unknown[] = []
    const reactor = new Subscription(
      t.store,
      'slow-reactor',
      async (_events, context) => {
        contexts.push(context.tx)
        entered()
        await held
      },
      { transactional: false, pollIntervalMs: NO_POLL },
    )
    await t.store.append('run-reactor-1', 'no_stream', [reading(700)])
    await inHandler
    // While the reactor is inside its handler (as it would be during a slow HTTP call), a new event
    // commits and is immediately readable by everyone.
    const appended = await t.store.append('run-reactor-2', 'no_stream', [reading(701)])
    const page = await t.store.readAll({ transactionId: appended.transactionId - 1n, position: 0n })
    expect(page.events.map((e) => e.globalPosition)).toContain(appended.positions[0])
    release()
    await reactor.caughtUp()
    await reactor.stop()
    expect(contexts.every((tx) => tx === undefined)).toBe(true)
    const { rows } = await t.pool.query<{ p: string }>(
      "select global_position::text as p from event_subscriptions where name = 'slow-reactor'",
    )
    expect(BigInt(rows[0]!.p)).toBeGreaterThanOrEqual(appended.positions[0]!)
  })

  it('is woken by an append in another process through LISTEN/NOTIFY', async () => {
    const other = t.secondStore()
    await other.wakeup.listen(t.database.url)
    const delivered: number[] = []
    let arrived: () => void = () => {}
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const subscription = new Subscription(
      other,
      'cross-process',
      async (events) => {
        delivered.push(...valuesOf(events))
        if (delivered.includes(500)) arrived()
      },
      { pollIntervalMs: NO_POLL },
    )
    await subscription.caughtUp()
    // Appended through the first store's pool: the second store hears of it only through NOTIFY.
    await t.store.append('run-notify', 'no_stream', [reading(500)])
    await arrival
    await subscription.stop()
    expect(delivered).toContain(500)
  })
})
