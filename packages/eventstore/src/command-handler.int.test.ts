import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { Data, Either, Schema } from 'effect'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeEventCodec } from './codec.ts'
import { handleCommand } from './command-handler.ts'
import type { Decider } from './decider.ts'
import { StreamVersionConflict } from './errors.ts'
import { EventStore } from './event-store.ts'

// A tiny decider with the shape of the real ones: a bounded counter.
const Incremented = Schema.TaggedStruct('Incremented', { by: Schema.Int, at: Schema.Number })
type Incremented = typeof Incremented.Type
type Increment = { readonly _tag: 'Increment'; readonly by: number }
class LimitReached extends Data.TaggedError('LimitReached')<{ readonly limit: number }> {}
type Context = { readonly now: number; readonly limit: number }

const counter: Decider<Increment, number, Incremented, LimitReached, Context> = {
  initialState: () => 0,
  evolve: (state, event) => state + event.by,
  decide: (command, state, context) =>
    state + command.by > context.limit
      ? Either.left(new LimitReached({ limit: context.limit }))
      : command.by === 0
        ? Either.right([])
        : Either.right([{ _tag: 'Incremented', by: command.by, at: context.now }]),
}

let database: TestDatabase
let pool: pg.Pool
let store: EventStore<Incremented>
const context = { context: () => ({ now: 1_700_000_000_000, limit: 1_000 }) }

beforeAll(async () => {
  database = await createTestDatabase()
  pool = new pg.Pool({ connectionString: database.url, max: 10 })
  store = new EventStore({ pool, codec: makeEventCodec(Incremented) })
})
afterAll(async () => {
  await store.close()
  await pool.end()
  await database.drop()
})

const total = async (streamId: string) =>
  (await store.readStream(streamId)).reduce((sum, e) => sum + e.event.by, 0)

describe('handleCommand', () => {
  it('folds the stream, decides, and appends at the version it read', async () => {
    const first = await handleCommand(store, counter, 'counter-a', { _tag: 'Increment', by: 2 }, context)
    const second = await handleCommand(store, counter, 'counter-a', { _tag: 'Increment', by: 3 }, context)
    expect(first).toMatchObject({ _tag: 'Accepted', streamVersion: 1 })
    expect(second).toMatchObject({ _tag: 'Accepted', streamVersion: 2, events: [{ by: 3 }] })
    expect(await total('counter-a')).toBe(5)
  })

  it('returns the rejection and appends nothing when the decider refuses', async () => {
    const outcome = await handleCommand(
      store,
      counter,
      'counter-b',
      { _tag: 'Increment', by: 5_000 },
      context,
    )
    expect(outcome).toMatchObject({ _tag: 'Rejected', rejection: { limit: 1_000 }, streamVersion: 0 })
    expect(await store.streamVersion('counter-b')).toBe(0)
  })

  it('appends nothing for a decision without events', async () => {
    const outcome = await handleCommand(store, counter, 'counter-c', { _tag: 'Increment', by: 0 }, context)
    expect(outcome).toEqual({ _tag: 'Accepted', events: [], append: undefined, streamVersion: 0, state: 0 })
    expect(await store.streamVersion('counter-c')).toBe(0)
  })

  it('decides again on a version conflict, so concurrent commands on one stream all land exactly once', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        handleCommand(
          store,
          counter,
          'counter-d',
          { _tag: 'Increment', by: 1 },
          { ...context, commandId: `inc-${i}` },
        ),
      ),
    )
    expect(outcomes.every((outcome) => outcome._tag === 'Accepted')).toBe(true)
    expect(await total('counter-d')).toBe(6)
    expect((await store.readStream('counter-d')).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('gives up with the conflict after its bounded retries when the stream never settles', async () => {
    // A context that appends behind the handler's back every time it is asked for: every try conflicts.
    let n = 0
    const meddling = {
      context: async (version: number) => {
        await store.append('counter-e', version === 0 ? 'no_stream' : version, [
          { _tag: 'Incremented', by: 1, at: n++ },
        ])
        return { now: 0, limit: 1_000 }
      },
    }
    await expect(
      handleCommand(store, counter, 'counter-e', { _tag: 'Increment', by: 1 }, meddling),
    ).rejects.toBeInstanceOf(StreamVersionConflict)
    expect(n).toBe(6)
  })

  it('runs its in-transaction hook with the decided events, and commits them together or not at all', async () => {
    await pool.query('create table side_effects (by int not null)')
    const hook = {
      ...context,
      withinAppend: (events: ReadonlyArray<Incremented>) => async (tx: pg.ClientBase) => {
        for (const event of events) await tx.query('insert into side_effects (by) values ($1)', [event.by])
      },
    }
    await handleCommand(store, counter, 'counter-g', { _tag: 'Increment', by: 4 }, hook)
    const failing = {
      ...hook,
      withinAppend: () => async () => {
        throw new Error('timer queue unavailable')
      },
    }
    await expect(
      handleCommand(store, counter, 'counter-g', { _tag: 'Increment', by: 5 }, failing),
    ).rejects.toThrow('timer queue unavailable')
    expect(await total('counter-g')).toBe(4)
    expect((await pool.query('select by from side_effects')).rows).toEqual([{ by: 4 }])
  })

  it('decides on a state the caller already holds, and still refuses it if the stream moved on', async () => {
    const first = await handleCommand(store, counter, 'counter-j', { _tag: 'Increment', by: 1 }, context)
    expect(first).toMatchObject({ _tag: 'Accepted', streamVersion: 1, state: 1 })
    const held = { state: first._tag === 'Accepted' ? (first.state ?? 0) : 0, version: 1 }
    const spying = { ...context, from: held }
    const second = await handleCommand(store, counter, 'counter-j', { _tag: 'Increment', by: 2 }, spying)
    expect(second).toMatchObject({ _tag: 'Accepted', streamVersion: 2, state: 3 })
    // A held state that is stale (someone appended since) conflicts on append and is reloaded: no wrong total.
    const stale = await handleCommand(store, counter, 'counter-j', { _tag: 'Increment', by: 4 }, spying)
    expect(stale).toMatchObject({ _tag: 'Accepted', streamVersion: 3, state: 7 })
    expect(await total('counter-j')).toBe(7)
  })

  it('does not trust a held state for a refusal: a stale one is decided again on the stream', async () => {
    await handleCommand(store, counter, 'counter-held-refusal', { _tag: 'Increment', by: 900 }, context)
    // A held 990 would refuse 50 more; the stream holds 900 at version 1, which accepts it.
    const outcome = await handleCommand(
      store,
      counter,
      'counter-held-refusal',
      { _tag: 'Increment', by: 50 },
      { ...context, from: { state: 990, version: 0 } },
    )
    expect(outcome).toMatchObject({ _tag: 'Accepted', streamVersion: 2 })
    expect(await total('counter-held-refusal')).toBe(950)
  })

  it('hands a moved guard back to the caller at once, who must reload what the decision read', async () => {
    await store.append('counter-guard-config', 'no_stream', [{ _tag: 'Incremented', by: 1, at: 0 }])
    await store.append('counter-guard-config', 1, [{ _tag: 'Incremented', by: 1, at: 0 }])
    const refused = await handleCommand(
      store,
      counter,
      'counter-guarded',
      { _tag: 'Increment', by: 1 },
      { ...context, guard: { streamId: 'counter-guard-config', version: 1 } },
    ).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(StreamVersionConflict)
    expect(refused).toMatchObject({ streamId: 'counter-guard-config', actual: 2 })
    expect(await store.streamVersion('counter-guarded')).toBe(0)
  })

  it('answers a repeated command id as a duplicate inside a transaction too', async () => {
    const options = { ...context, commandId: 'in-tx-1', withinAppend: () => async () => {} }
    await handleCommand(store, counter, 'counter-h', { _tag: 'Increment', by: 2 }, options)
    const again = await handleCommand(store, counter, 'counter-h', { _tag: 'Increment', by: 2 }, options)
    expect(again).toMatchObject({ _tag: 'Accepted', events: [], append: { duplicate: true } })
    expect(await total('counter-h')).toBe(2)
  })

  it('answers a repeat that the new state would refuse as the duplicate it is', async () => {
    const options = { ...context, commandId: 'big-1' }
    await handleCommand(store, counter, 'counter-i', { _tag: 'Increment', by: 600 }, options)
    // A second +600 would pass the limit of 1,000 and be refused; as a repeat it is answered instead.
    const again = await handleCommand(store, counter, 'counter-i', { _tag: 'Increment', by: 600 }, options)
    expect(again).toMatchObject({ _tag: 'Accepted', events: [], append: { duplicate: true } })
  })

  it('appends a command id once: the repeat is answered with the original append and no new events', async () => {
    const options = { ...context, commandId: 'sensor-42' }
    const first = await handleCommand(store, counter, 'counter-f', { _tag: 'Increment', by: 7 }, options)
    const again = await handleCommand(store, counter, 'counter-f', { _tag: 'Increment', by: 7 }, options)
    expect(first._tag === 'Accepted' && first.append?.duplicate).toBe(false)
    expect(again).toMatchObject({ _tag: 'Accepted', events: [], streamVersion: 1 })
    expect(again._tag === 'Accepted' && again.append?.duplicate).toBe(true)
    expect(await total('counter-f')).toBe(7)
  })
})
