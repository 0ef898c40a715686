import { Schema } from 'effect'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { START } from './checkpoint.ts'
import { makeEventCodec } from './codec.ts'
import {
  BatchAppendRefused,
  EventDecodeFailed,
  StreamVersionConflict,
  TransactionRolledBack,
} from './errors.ts'
import { EventStore } from './event-store.ts'
import { appendManyEvents } from './sql.ts'
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

describe('versions seen committed', () => {
  it('skips the probe for a stream behind its expectation only at versions it saw committed', async () => {
    // The log only grows, so a version seen committed stays reached; the probe is skipped below it. To
    // show which store probes, a "restore" takes the stream back by one event behind both stores' backs.
    const careful = new EventStore({ pool: t.pool, codec, knownVersions: 0 })
    await t.store.append('run-restored', 'no_stream', [sensor(1), sensor(2), sensor(3)])
    await t.pool.query(
      `set session_replication_role = replica; delete from events where stream_id = 'run-restored' and stream_version = 3; reset session_replication_role`,
    )

    const probed = await careful.append('run-restored', 3, [sensor(4)]).catch((error: unknown) => error)
    expect(probed).toBeInstanceOf(StreamVersionConflict)
    expect((probed as StreamVersionConflict).actual).toBe(2)
    // The store that saw version 3 committed trusts it (which is why processes restart after a restore).
    const trusted = await t.store.append('run-restored', 3, [sensor(4)])
    expect(trusted.firstVersion).toBe(4)
    await careful.close()
  })

  it('never trusts a version it only saw inside a transaction that rolled back', async () => {
    const rolledBack = await t.store
      .transaction(async (tx) => {
        await t.store.append('run-rolled-back', 'no_stream', [sensor(1), sensor(2)], { tx })
        expect((await t.store.readStream('run-rolled-back', { tx })).length).toBe(2)
        throw new Error('abandon')
      })
      .catch((error: unknown) => error)
    expect((rolledBack as Error).message).toBe('abandon')

    const behind = await t.store.append('run-rolled-back', 2, [sensor(3)]).catch((error: unknown) => error)
    expect(behind).toBeInstanceOf(StreamVersionConflict)
    expect((behind as StreamVersionConflict).actual).toBe(0)
    expect(await t.store.streamVersion('run-rolled-back')).toBe(0)
  })

  it('learns the versions a transaction it runs appended once it commits, and none of one that rolled back', async () => {
    await t.store.transaction(async (tx) => {
      await t.store.append('run-tx-committed', 'no_stream', [sensor(1), sensor(2)], { tx })
      await t.store.appendMany(
        [{ streamId: 'run-tx-many', expected: 0, parts: [{ events: [sensor(1)], metadata: {} }] }],
        { tx },
      )
      expect(t.store.knownVersion('run-tx-committed')).toBe(0)
    })
    expect([t.store.knownVersion('run-tx-committed'), t.store.knownVersion('run-tx-many')]).toEqual([2, 1])
    await t.store
      .transaction(async (tx) => {
        await t.store.append('run-tx-abandoned', 'no_stream', [sensor(1)], { tx })
        throw new Error('abandon')
      })
      .catch(() => undefined)
    expect(t.store.knownVersion('run-tx-abandoned')).toBe(0)
  })

  it('refuses to call a transaction committed when a caught error had rolled it back, and learns nothing from it', async () => {
    await t.store.append('run-swallowed', 'no_stream', [sensor(1)])
    await t.store.append('run-swallowed-other', 'no_stream', [sensor(1)])
    const outcome = await t.store
      .transaction(async (tx) => {
        await t.store.append('run-swallowed', 1, [sensor(2)], { tx })
        // Fails, aborting the transaction; the error is caught here and the work returns normally.
        await t.store.append('run-swallowed-other', 'no_stream', [sensor(2)], { tx }).catch(() => undefined)
        return 'done'
      })
      .catch((error: unknown) => error)
    expect(outcome).toBeInstanceOf(TransactionRolledBack)
    expect(t.store.knownVersion('run-swallowed')).toBe(1)
    expect(await t.store.streamVersion('run-swallowed')).toBe(1)
    const behind = await t.store.append('run-swallowed', 2, [sensor(3)]).catch((error: unknown) => error)
    expect(behind).toBeInstanceOf(StreamVersionConflict)
  })

  it('learns versions from reads as well as appends, and still refuses a stream that moved on', async () => {
    const other = t.secondStore()
    await other.append('run-read-known', 'no_stream', [sensor(1), sensor(2)])
    expect((await t.store.readStream('run-read-known')).length).toBe(2)
    await other.append('run-read-known', 2, [sensor(3)])
    // At 2, known from the read: no probe, and the unique key refuses the stream that moved on to 3.
    const moved = await t.store.append('run-read-known', 2, [sensor(9)]).catch((error: unknown) => error)
    expect(moved).toBeInstanceOf(StreamVersionConflict)
    expect((moved as StreamVersionConflict).actual).toBe(3)
    expect((await t.store.append('run-read-known', 3, [sensor(4)])).nextExpectedVersion).toBe(4)
  })
})

describe('guarded append', () => {
  it('goes in while the guard stream is at the version the decision read', async () => {
    await t.store.append('pipeline-guard-ok', 'no_stream', [sensor(1), sensor(2)])
    const result = await t.store.append('run-guard-ok', 'no_stream', [sensor(10)], {
      guard: { streamId: 'pipeline-guard-ok', version: 2 },
    })
    expect(result).toMatchObject({ firstVersion: 1, nextExpectedVersion: 1, duplicate: false })
    const many = await t.store.append('run-guard-ok', 1, [sensor(11), sensor(12)], {
      guard: { streamId: 'pipeline-guard-ok', version: 2 },
    })
    expect(many).toMatchObject({ firstVersion: 2, nextExpectedVersion: 3 })
  })

  it('writes nothing when the guard stream moved, and names that stream in the conflict', async () => {
    await t.store.append('pipeline-guard-moved', 'no_stream', [sensor(1), sensor(2), sensor(3)])
    await t.store.append('run-guard-moved', 'no_stream', [sensor(10)])
    const before = await eventCount()
    for (const events of [[sensor(11)], [sensor(11), sensor(12)]]) {
      const refused = await t.store
        .append('run-guard-moved', 1, events, { guard: { streamId: 'pipeline-guard-moved', version: 2 } })
        .catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(StreamVersionConflict)
      expect(refused).toMatchObject({ streamId: 'pipeline-guard-moved', expected: 2, actual: 3 })
    }
    expect(await eventCount()).toBe(before)
  })

  it('still reports its own stream when that is what moved', async () => {
    await t.store.append('pipeline-guard-own', 'no_stream', [sensor(1)])
    await t.store.append('run-guard-own', 'no_stream', [sensor(10), sensor(11)])
    const refused = await t.store
      .append('run-guard-own', 1, [sensor(12)], { guard: { streamId: 'pipeline-guard-own', version: 1 } })
      .catch((error: unknown) => error)
    expect(refused).toMatchObject({ streamId: 'run-guard-own', actual: 2 })
  })
})

describe('appendMany', () => {
  it('appends to many streams in one statement, each part with its own metadata and result', async () => {
    await t.store.append('many-a', 'no_stream', [sensor(1)])
    await t.store.append('pipeline-many', 'no_stream', [sensor(0)])
    const outcomes = await t.store.appendMany([
      {
        streamId: 'many-a',
        expected: 1,
        parts: [
          { events: [sensor(2)], metadata: { commandId: 'many-a-1', actor: 'api' } },
          { events: [sensor(3), sensor(4)], metadata: { commandId: 'many-a-2', actor: 'timer' } },
        ],
      },
      {
        streamId: 'many-b',
        expected: 0,
        guard: { streamId: 'pipeline-many', version: 1 },
        parts: [{ events: [sensor(5)], metadata: { correlationId: 'req-1' } }],
      },
    ])
    expect(outcomes.map((outcome) => outcome._tag)).toEqual(['Appended', 'Appended'])
    const [a, b] = outcomes as Array<Extract<(typeof outcomes)[number], { _tag: 'Appended' }>>
    expect(a!.parts.map((part) => [part.firstVersion, part.nextExpectedVersion])).toEqual([
      [2, 2],
      [3, 4],
    ])
    expect(b!.parts[0]).toMatchObject({ streamId: 'many-b', firstVersion: 1, nextExpectedVersion: 1 })
    expect(a!.parts[0]!.transactionId).toBe(b!.parts[0]!.transactionId)

    const read = await t.store.readStream('many-a')
    expect(read.map((e) => [e.streamVersion, e.event, e.metadata.commandId, e.metadata.actor])).toEqual([
      [1, sensor(1), undefined, undefined],
      [2, sensor(2), 'many-a-1', 'api'],
      [3, sensor(3), 'many-a-2', 'timer'],
      [4, sensor(4), 'many-a-2', 'timer'],
    ])
    // Each part answers the log positions its events were given.
    expect(a!.parts.map((part) => part.positions)).toEqual([
      [read[1]!.globalPosition],
      [read[2]!.globalPosition, read[3]!.globalPosition],
    ])
    // The first event of each part is its command's idempotency record.
    expect(await t.store.findCommand('many-a-2')).toMatchObject({ firstVersion: 3, nextExpectedVersion: 4 })
  })

  it('leaves out a stream that is behind its expectation or whose guard moved, and writes the others', async () => {
    await t.store.append('pipeline-many-moved', 'no_stream', [sensor(0), sensor(1)])
    const before = await eventCount()
    const outcomes = await t.store.appendMany([
      { streamId: 'many-behind', expected: 3, parts: [{ events: [sensor(1)], metadata: {} }] },
      {
        streamId: 'many-guarded',
        expected: 0,
        guard: { streamId: 'pipeline-many-moved', version: 1 },
        parts: [{ events: [sensor(2)], metadata: {} }],
      },
      { streamId: 'many-fine', expected: 0, parts: [{ events: [sensor(3), sensor(4)], metadata: {} }] },
    ])
    expect(outcomes.map((outcome) => outcome._tag)).toEqual(['Conflict', 'Conflict', 'Appended'])
    expect(await eventCount()).toBe(before + 2)
  })

  it('checks each guard at the version its streams were decided on, once for all of them', async () => {
    await t.store.append('pipeline-many-shared', 'no_stream', [sensor(0), sensor(1)])
    const at = (version: number) => ({ streamId: 'pipeline-many-shared', version })
    const one = (streamId: string, version: number) => ({
      streamId,
      expected: 0,
      guard: at(version),
      parts: [{ events: [sensor(version)], metadata: {} }],
    })
    const outcomes = await t.store.appendMany([
      one('many-shared-a', 2),
      one('many-shared-b', 1),
      one('many-shared-c', 2),
      one('many-shared-d', 3),
    ])
    expect(outcomes.map((outcome) => outcome._tag)).toEqual(['Appended', 'Conflict', 'Appended', 'Conflict'])
  })

  it('keeps a part that is not idempotent out of the idempotency record, its command id in its metadata', async () => {
    const part = (idempotent: boolean) => ({
      events: [sensor(1)],
      metadata: { commandId: 'many-made-up' },
      idempotent,
    })
    await t.store.appendMany([
      { streamId: 'many-not-recorded', expected: 0, parts: [part(false)] },
      { streamId: 'many-recorded', expected: 0, parts: [part(true)] },
    ])
    const { rows } = await t.pool.query<{ stream_id: string; command_id: string | null }>(
      `select stream_id, command_id from events where stream_id like 'many-%recorded' order by stream_id`,
    )
    expect(rows).toEqual([
      { stream_id: 'many-not-recorded', command_id: null },
      { stream_id: 'many-recorded', command_id: 'many-made-up' },
    ])
    expect((await t.store.readStream('many-not-recorded'))[0]!.metadata.commandId).toBe('many-made-up')
  })

  it('leaves out a stream expected new that exists, so a writer may append to a stream it has not read', async () => {
    await t.store.append('many-exists', 'no_stream', [sensor(1), sensor(2)])
    const before = await eventCount()
    const outcomes = await t.store.appendMany([
      { streamId: 'many-exists', expected: 0, parts: [{ events: [sensor(3)], metadata: {} }] },
      { streamId: 'many-new', expected: 0, parts: [{ events: [sensor(4)], metadata: {} }] },
    ])
    expect(outcomes.map((outcome) => outcome._tag)).toEqual(['Conflict', 'Appended'])
    expect(await eventCount()).toBe(before + 1)
    expect((await t.store.readStream('many-exists')).map((e) => e.event)).toEqual([sensor(1), sensor(2)])
  })

  it('leaves out a stream that moved on past its expectation, and writes the others', async () => {
    await t.store.append('many-moved-on', 'no_stream', [sensor(1), sensor(2)])
    const outcomes = await t.store.appendMany([
      { streamId: 'many-beside-moved', expected: 0, parts: [{ events: [sensor(9)], metadata: {} }] },
      { streamId: 'many-moved-on', expected: 1, parts: [{ events: [sensor(3)], metadata: {} }] },
    ])
    expect(outcomes.map((outcome) => outcome._tag)).toEqual(['Appended', 'Conflict'])
    expect((await t.store.readStream('many-moved-on')).map((e) => e.event)).toEqual([sensor(1), sensor(2)])
  })

  it('is refused as a whole when a command was appended before', async () => {
    await t.store.append('many-cmd', 'no_stream', [sensor(1)], { commandId: 'many-seen' })
    const before = await eventCount()
    const fresh = { streamId: 'many-untouched', expected: 0, parts: [{ events: [sensor(9)], metadata: {} }] }
    const repeated = await t.store
      .appendMany([
        fresh,
        {
          streamId: 'many-cmd',
          expected: 1,
          parts: [{ events: [sensor(2)], metadata: { commandId: 'many-seen' } }],
        },
      ])
      .catch((error: unknown) => error)
    expect(repeated).toBeInstanceOf(BatchAppendRefused)
    expect(await eventCount()).toBe(before)
  })

  it('never hashes the whole log to find stream heads, in the plan a connection keeps', async () => {
    const client = new pg.Client({ connectionString: t.database.url })
    await client.connect()
    try {
      const row = (n: number) => ({
        s: `many-plan-${n}`,
        e: 0,
        v: 1,
        t: 'SensorRecorded',
        sv: 1,
        d: {},
        m: {},
        c: null,
        gi: 0,
      })
      const guards = [{ i: 0, g: 'many-plan-guard', gv: 0 }]
      // More than five executions: the connection settles on a generic plan, kept for its lifetime.
      for (let n = 0; n < 8; n++) await appendManyEvents(client, [row(n)], guards)
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain execute interlock_append_many('${JSON.stringify([row(99)])}', '${JSON.stringify(guards)}')`,
      )
      // A hash of the table is built whole for each statement, however large the log has grown since.
      expect(rows.map((line) => line['QUERY PLAN']).join('\n')).not.toContain('hashed SubPlan')
    } finally {
      await client.end()
    }
  })

  it('analyzes a young log as it grows, so plans a connection made while it was tiny use the index again', async () => {
    const young = await createTestStore(codec)
    const client = new pg.Client({ connectionString: young.database.url })
    await client.connect()
    try {
      await young.store.append('young-0', 'no_stream', [sensor(0)])
      await client.query('analyze events')
      await client.query(`prepare head(text) as select max(stream_version) from events where stream_id = $1`)
      await client.query('set plan_cache_mode = force_generic_plan')
      const plan = async () =>
        (await client.query<{ 'QUERY PLAN': string }>(`explain execute head('young-1')`)).rows
          .map((line) => line['QUERY PLAN'])
          .join('\n')
      expect(await plan()).toContain('Seq Scan on events')
      // Past 1,024 events, in batches as a backfill sends them.
      for (let batch = 0; batch < 11; batch++) {
        await young.store.appendMany(
          Array.from({ length: 100 }, (_, n) => ({
            streamId: `young-${batch}-${n}`,
            expected: 0,
            parts: [{ events: [sensor(n)], metadata: {} }],
          })),
        )
      }
      await vi.waitFor(async () => expect(await plan()).toContain('events_stream_version_key'), {
        timeout: 5_000,
      })
    } finally {
      await client.end()
      await young.close()
    }
  })

  it('refuses the same stream twice in one call before writing anything', async () => {
    const part = { events: [sensor(1)], metadata: {} }
    await expect(
      t.store.appendMany([
        { streamId: 'many-twice', expected: 0, parts: [part] },
        { streamId: 'many-twice', expected: 1, parts: [part] },
      ]),
    ).rejects.toThrow(RangeError)
    expect(await t.store.readStream('many-twice')).toEqual([])
  })

  it('reads many streams in one call, grouped and in version order', async () => {
    await t.store.appendMany([
      { streamId: 'read-many-1', expected: 0, parts: [{ events: [sensor(1), sensor(2)], metadata: {} }] },
      { streamId: 'read-many-2', expected: 0, parts: [{ events: [sensor(3)], metadata: {} }] },
    ])
    const streams = await t.store.readStreams(['read-many-2', 'read-many-1', 'read-many-none'])
    expect([...streams.keys()].sort()).toEqual(['read-many-1', 'read-many-2'])
    expect(streams.get('read-many-1')!.map((e) => [e.streamVersion, e.event])).toEqual([
      [1, sensor(1)],
      [2, sensor(2)],
    ])
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
