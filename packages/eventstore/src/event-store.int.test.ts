import { Schema } from 'effect'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { START } from './checkpoint.ts'
import { makeEventCodec } from './codec.ts'
import { EventDecodeFailed, StreamVersionConflict } from './errors.ts'
import { createTestStore, type TestStore } from './test-store.ts'

const SensorRecorded = Schema.TaggedStruct('SensorRecorded', {
  key: Schema.String,
  value: Schema.Number,
})
const JobTriggered = Schema.TaggedStruct('JobTriggered', {
  attemptId: Schema.String,
  triggeredAt: Schema.Date,
})
const TestEvent = Schema.Union(SensorRecorded, JobTriggered)
type TestEvent = typeof TestEvent.Type

const codec = makeEventCodec(TestEvent, {
  // v1 of JobTriggered called the field `attempt` and stored a number.
  JobTriggered: {
    current: 2,
    upcasters: { 1: ({ attempt, ...rest }) => ({ ...rest, attemptId: `a-${attempt}` }) },
  },
})

const sensor = (value: number): TestEvent => ({ _tag: 'SensorRecorded', key: 'rows', value })

let t: TestStore<TestEvent>
beforeAll(async () => {
  t = await createTestStore(codec)
})
afterAll(async () => {
  await t.close()
})

async function eventCount(): Promise<number> {
  const { rows } = await t.pool.query<{ n: number }>('select count(*)::int as n from events')
  return rows[0]!.n
}

describe('append', () => {
  it('creates a stream, numbers its events from 1, and reads them back decoded with their metadata', async () => {
    const result = await t.store.append('run-orders-2026-01-05', 'no_stream', [sensor(1), sensor(2)], {
      commandId: 'cmd-create',
      actor: 'api',
      correlationId: 'corr-1',
      tags: { pipelineId: 'orders', period: '2026-01-05' },
    })
    expect(result).toMatchObject({ firstVersion: 1, nextExpectedVersion: 2, duplicate: false })
    expect(result.positions).toHaveLength(2)
    expect(result.positions[1]! - result.positions[0]!).toBe(1n)

    const events = await t.store.readStream('run-orders-2026-01-05')
    expect(events.map((e) => [e.streamVersion, e.event])).toEqual([
      [1, sensor(1)],
      [2, sensor(2)],
    ])
    expect(events[1]!.metadata).toEqual({
      commandId: 'cmd-create',
      actor: 'api',
      correlationId: 'corr-1',
      tags: { pipelineId: 'orders', period: '2026-01-05' },
    })
    expect(events[0]!.transactionId).toBe(result.transactionId)
  })

  it('appends at the expected version and refuses a stale one with a typed conflict, writing nothing', async () => {
    await t.store.append('run-stale', 'no_stream', [sensor(1)])
    await t.store.append('run-stale', 1, [sensor(2)])
    const before = await eventCount()
    const refused = await t.store.append('run-stale', 1, [sensor(3)]).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(StreamVersionConflict)
    expect((refused as StreamVersionConflict).actual).toBe(2)
    expect((refused as StreamVersionConflict).message).toBe(
      'Stream run-stale was expected at version 1 but it is at version 2; reload it and decide again.',
    )
    expect(await eventCount()).toBe(before)
  })

  it("refuses 'no_stream' for a stream that exists", async () => {
    await t.store.append('pipeline-exists', 'no_stream', [sensor(1)])
    await expect(t.store.append('pipeline-exists', 'no_stream', [sensor(2)])).rejects.toBeInstanceOf(
      StreamVersionConflict,
    )
  })

  it('lets exactly one of many concurrent writers at the same version win', async () => {
    await t.store.append('run-race', 'no_stream', [sensor(0)])
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => t.store.append('run-race', 1, [sensor(i + 1)])),
    )
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled')
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(11)
    for (const outcome of lost) expect(outcome.reason).toBeInstanceOf(StreamVersionConflict)
    expect(await t.store.streamVersion('run-race')).toBe(2)
  })

  it("serialises concurrent 'any' writers without losing an event", async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.store.append('run-any', 'any', [sensor(i)])))
    const events = await t.store.readStream('run-any')
    expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(new Set(events.map((e) => (e.event as { value: number }).value)).size).toBe(20)
  })
})

describe('idempotency by command id', () => {
  it('returns the original result for a command appended before and writes nothing', async () => {
    const first = await t.store.append('run-idem', 'no_stream', [sensor(1), sensor(2)], {
      commandId: 'cmd-7',
    })
    const before = await eventCount()
    // Same command again, even at a now-stale expected version: answered, not refused.
    const again = await t.store.append('run-idem', 'no_stream', [sensor(1), sensor(2)], {
      commandId: 'cmd-7',
    })
    expect(again).toEqual({ ...first, duplicate: true })
    expect(await eventCount()).toBe(before)
  })

  it('answers a command appended before as a duplicate even when it is sent to another stream', async () => {
    const first = await t.store.append('run-idem-a', 'no_stream', [sensor(1)], { commandId: 'cmd-moved' })
    const again = await t.store.append('run-idem-b', 'no_stream', [sensor(1)], { commandId: 'cmd-moved' })
    expect(again).toEqual({ ...first, duplicate: true })
    expect(await t.store.streamVersion('run-idem-b')).toBe(0)
  })

  it('writes a command once when it is appended concurrently at the same version', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.store.append('run-idem-exact', 'no_stream', [sensor(1)], { commandId: 'cmd-x' }),
      ),
    )
    expect(await t.store.streamVersion('run-idem-exact')).toBe(1)
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1)
  })

  it('writes a command once when it is appended concurrently', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.store.append('run-idem-race', 'any', [sensor(1)], { commandId: 'cmd-once' }),
      ),
    )
    expect(await t.store.streamVersion('run-idem-race')).toBe(1)
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1)
    expect(new Set(results.map((result) => result.positions[0]))).toEqual(new Set([results[0]!.positions[0]]))
  })
})

describe('immutability', () => {
  it.each([
    ['UPDATE', "update events set type = 'Tampered'"],
    ['DELETE', 'delete from events'],
    ['TRUNCATE', 'truncate events'],
  ])('the database rejects %s on events', async (operation, sql) => {
    await t.store.append(`run-immutable-${operation}`, 'no_stream', [sensor(1)])
    const before = await eventCount()
    await expect(t.pool.query(sql)).rejects.toThrow(
      `the event log is append-only: ${operation} on events is not allowed`,
    )
    expect(await eventCount()).toBe(before)
  })
})

describe('schema versions', () => {
  it('upcasts an event stored at an older schema version', async () => {
    await t.pool.query(
      `insert into events (stream_id, stream_version, type, schema_version, data)
       values ('run-old', 1, 'JobTriggered', 1, '{"attempt": 3, "triggeredAt": "2026-01-05T06:00:00.000Z"}')`,
    )
    const [event] = await t.store.readStream('run-old')
    expect(event!.event).toEqual({
      _tag: 'JobTriggered',
      attemptId: 'a-3',
      triggeredAt: new Date('2026-01-05T06:00:00.000Z'),
    })
  })

  it('writes new events at the current schema version', async () => {
    const triggered: TestEvent = { _tag: 'JobTriggered', attemptId: 'a-1', triggeredAt: new Date(0) }
    await t.store.append('run-new', 'no_stream', [triggered])
    const { rows } = await t.pool.query("select schema_version from events where stream_id = 'run-new'")
    expect(rows).toEqual([{ schema_version: 2 }])
  })

  it('surfaces an undecodable event as a typed error when its payload is read, instead of dropping it', async () => {
    await t.pool.query(
      `insert into events (stream_id, stream_version, type, schema_version, data)
       values ('run-poison', 1, 'SensorRecorded', 1, '{"key": "rows", "value": "many"}')`,
    )
    const [poisoned] = await t.store.readStream('run-poison')
    let failure: unknown
    try {
      void poisoned!.event
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(EventDecodeFailed)
    expect((failure as EventDecodeFailed).message).toContain(
      'Event SensorRecorded v1 at run-poison@1 cannot be decoded:',
    )
  })
})

describe('readAll', () => {
  it('reads every stream in commit-safe order, in pages, from a checkpoint', async () => {
    const fresh = await createTestStore(codec)
    const store = fresh.store
    for (let i = 0; i < 25; i++) await store.append(`run-page-${i % 3}`, 'any', [sensor(i)])
    const seen: number[] = []
    let checkpoint = START
    const pageSizes: number[] = []
    while (seen.length < 25) {
      const page = await store.readAll(checkpoint, { limit: 10 })
      // An open writing transaction anywhere on the server (another test file) holds the horizon back:
      // an empty page then means "not yet", and the reader asks again.
      if (page.events.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10))
        continue
      }
      pageSizes.push(page.events.length)
      seen.push(...page.events.map((e) => (e.event as { value: number }).value))
      checkpoint = page.checkpoint
    }
    expect(Math.max(...pageSizes)).toBeLessThanOrEqual(10)
    expect((await store.readAll(checkpoint)).events).toEqual([])
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i))
    await fresh.close()
  })
})
