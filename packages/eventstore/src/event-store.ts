import { Either } from 'effect'
import pg from 'pg'
import type { Checkpoint } from './checkpoint.ts'
import type { EventCodec, TaggedEvent } from './codec.ts'
import {
  BatchAppendRefused,
  EventDecodeFailed,
  StreamVersionConflict,
  TransactionRolledBack,
} from './errors.ts'
import { type ExpectedVersion, expectedVersionParameter } from './expected-version.ts'
import { GrowthSteps, KnownVersions } from './known-versions.ts'
import { Leases } from './leases.ts'
import { type EventMetadata, readMetadata } from './metadata.ts'
import {
  type AppendGuard,
  type AppendManyGuard,
  type AppendManyRow,
  type AppendManyWritten,
  type AppendRow,
  analyzeLog,
  appendEvents,
  appendManyEvents,
  type EventRow,
  type Queryable,
  selectAll,
  selectCommandAppend,
  selectStream,
  selectStreams,
  selectStreamVersion,
  selectSubscriptionBatch,
} from './sql.ts'
import { LogWakeup } from './wakeup.ts'

/** An event read back from the log, with its place in the log and its envelope. */
export interface RecordedEvent<E extends TaggedEvent> {
  readonly globalPosition: bigint
  readonly transactionId: bigint
  readonly streamId: string
  readonly streamVersion: number
  readonly type: string
  readonly schemaVersion: number
  readonly event: E
  readonly metadata: EventMetadata
  readonly recordedAt: Date
}

export interface AppendOptions extends EventMetadata {
  /** Append inside this transaction (from `transaction`, or any client in a transaction) instead of on its own. */
  readonly tx?: pg.ClientBase
  /**
   * Another stream the decision was made on (e.g. the pipeline whose config decided a run): the events go
   * in only while it is still at exactly this version, else StreamVersionConflict names that stream.
   * Exact expectations only.
   */
  readonly guard?: AppendGuard
}

/** One stream's share of an appendMany: one or more appends in order, each with its own metadata. */
export interface StreamAppend<E extends TaggedEvent> {
  readonly streamId: string
  /** The exact version the stream must be at (0: it must not exist). */
  readonly expected: number
  readonly guard?: AppendGuard
  readonly parts: ReadonlyArray<{
    readonly events: ReadonlyArray<E>
    readonly metadata: EventMetadata
    /**
     * False: the part's command id stays in its metadata but is not recorded for idempotency, so a later
     * append of that id is not recognised as a duplicate. For commands that can never be sent twice (a
     * reading without an id, whose command id was made up on arrival): it saves an index entry per part.
     */
    readonly idempotent?: boolean
  }>
}

/**
 * What appendMany did with one stream: its parts' results, or nothing (the stream was not at its
 * expectation: behind it, moved on, or expected new but existing; or its guard moved).
 */
export type StreamAppendOutcome =
  | { readonly _tag: 'Appended'; readonly parts: ReadonlyArray<AppendResult> }
  | { readonly _tag: 'Conflict' }

export interface AppendResult {
  readonly streamId: string
  readonly firstVersion: number
  /** The stream's version after the append: the expected version of the next one. */
  readonly nextExpectedVersion: number
  readonly positions: ReadonlyArray<bigint>
  readonly transactionId: bigint
  /** True when the command had been appended before: nothing was written, the original result is returned. */
  readonly duplicate: boolean
}

/** A subscription's next batch: where it stood, what follows, and whether more waits behind an open transaction. */
export interface SubscriptionBatch<E extends TaggedEvent> extends ReadAllResult<E> {
  readonly after: Checkpoint
  /** Committed events wait beyond the in-flight horizon: look again soon rather than at the next poll. */
  readonly heldBack: boolean
}

export interface ReadAllResult<E extends TaggedEvent> {
  readonly events: ReadonlyArray<RecordedEvent<E>>
  /** Where the next read continues; equal to `after` when nothing was read. */
  readonly checkpoint: Checkpoint
}

export interface EventStoreOptions<E extends TaggedEvent> {
  readonly pool: pg.Pool
  readonly codec: EventCodec<E>
  /** Send the cross-process NOTIFY hint after appends (default true). */
  readonly notify?: boolean
  /**
   * How many streams' committed versions to remember, so that appends at or below them skip the probe for
   * a stream behind its expectation (default 250,000, a few tens of MB; 0 remembers none and always probes).
   */
  readonly knownVersions?: number
}

function toAppendResult(rows: ReadonlyArray<AppendRow>): AppendResult {
  const first = rows[0]!
  const last = rows[rows.length - 1]!
  return {
    streamId: first.stream_id,
    firstVersion: Number(first.stream_version),
    nextExpectedVersion: Number(last.stream_version),
    positions: rows.map((row) => BigInt(row.global_position!)),
    transactionId: BigInt(first.transaction_id!),
    duplicate: first.duplicate,
  }
}

/** How often an `'any'` append retries when a concurrent writer takes the version it computed. */
const ANY_VERSION_RACE_RETRIES = 5
const DEFAULT_READ_LIMIT = 1_000
const MAX_READ_LIMIT = 10_000
const UNIQUE_VIOLATION = '23505'
const DEFAULT_KNOWN_VERSIONS = 250_000
/** The log sizes at which a young log is analyzed (see noticeLogSize): ×4 steps, beyond which plans hold. */
const YOUNG_LOG_ANALYZE_AT: ReadonlyArray<bigint> = [64n, 256n, 1_024n, 4_096n, 16_384n, 65_536n]

/**
 * The event log on Postgres: append with optimistic concurrency and idempotency by command id,
 * read a stream, read everything in commit-safe order. See DESIGN.md, "Event store contract".
 */
export class EventStore<E extends TaggedEvent> {
  readonly pool: pg.Pool
  readonly codec: EventCodec<E>
  readonly wakeup: LogWakeup
  /** The subscriptions' leases, on one connection of their own. */
  readonly leases: Leases
  /** The versions this process saw streams committed at (see KnownVersions). */
  private readonly known: KnownVersions
  /** The young-log sizes to analyze at, from the first position this store sees (see noticeLogSize). */
  private readonly youngLog = new GrowthSteps(YOUNG_LOG_ANALYZE_AT)
  private analyzing = false
  /** Versions seen inside transactions this store runs, recorded as known once they commit. */
  private readonly uncommitted = new WeakMap<Queryable, Array<readonly [string, number]>>()

  constructor(options: EventStoreOptions<E>) {
    this.pool = options.pool
    this.codec = options.codec
    this.known = new KnownVersions(options.knownVersions ?? DEFAULT_KNOWN_VERSIONS)
    this.wakeup = new LogWakeup(options.pool, options.notify ?? true)
    const pool = options.pool
    this.leases = new Leases(() => new pg.Client(pool.options))
  }

  /**
   * The highest version this process saw the stream committed at (0 when it saw none): a floor, since the
   * log only grows. A writer that finds 0 may guess the stream is new; above 0 it exists for sure.
   */
  knownVersion(streamId: string): number {
    return this.known.version(streamId)
  }

  /** Closes what the store opened beside the pool (the LISTEN and lease connections); the pool is the caller's. */
  async close(): Promise<void> {
    await this.wakeup.close()
    await this.leases.close()
  }

  /**
   * Appends events to one stream if it is at the expected version. One round trip. A command id seen
   * before appends nothing and returns the original result. A version mismatch throws
   * StreamVersionConflict, which callers retry by reloading and deciding again.
   */
  async append(
    streamId: string,
    expected: ExpectedVersion,
    events: ReadonlyArray<E>,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`append to ${streamId} was given no events`)
    const { tx, guard, ...metadata } = options
    const types: string[] = []
    const schemaVersions: number[] = []
    const data: string[] = []
    const metadataJson = JSON.stringify(metadata)
    const metadataColumn: string[] = []
    for (const event of events) {
      const encoded = this.codec.encode(event)
      types.push(encoded.type)
      schemaVersions.push(encoded.schemaVersion)
      data.push(JSON.stringify(encoded.data))
      metadataColumn.push(metadataJson)
    }
    const commandId = metadata.commandId ?? null
    const parameter = expectedVersionParameter(expected)

    const db = tx ?? this.pool
    for (let attempt = 0; ; attempt++) {
      let rows: ReadonlyArray<AppendRow>
      try {
        rows = (
          await appendEvents(
            db,
            streamId,
            parameter,
            types,
            schemaVersions,
            data,
            metadataColumn,
            commandId,
            guard,
            tx === undefined ? this.known.reached(streamId, parameter) : false,
          )
        ).rows
      } catch (error) {
        if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error
        // Inside a caller's transaction the transaction is now aborted: the caller retries it whole.
        if (tx !== undefined) throw new StreamVersionConflict({ streamId, expected, actual: undefined })
        // On our own, look again: the winner may have been this very command, else it is a conflict
        // ('any' appends queue per stream inside append_events, so they rarely get here).
        const earlier = commandId === null ? [] : (await selectCommandAppend(db, commandId)).rows
        if (earlier.length > 0) return toAppendResult(earlier)
        if (parameter >= 0) {
          throw new StreamVersionConflict({
            streamId,
            expected,
            actual: await this.streamVersion(streamId, db),
          })
        }
        if (attempt >= ANY_VERSION_RACE_RETRIES)
          throw new StreamVersionConflict({ streamId, expected, actual: undefined })
        continue
      }
      const first = rows[0]
      // An exact append inserts nothing when the stream is behind the expected version.
      if (first === undefined || first.global_position === null) {
        const earlier = commandId === null ? [] : (await selectCommandAppend(db, commandId)).rows
        if (earlier.length > 0) return toAppendResult(earlier)
        const actual =
          first === undefined ? await this.streamVersion(streamId, db) : Number(first.stream_version)
        if (guard !== undefined && actual === parameter) {
          const moved = await this.streamVersion(guard.streamId, db)
          throw new StreamVersionConflict({
            streamId: guard.streamId,
            expected: guard.version,
            actual: moved,
          })
        }
        throw new StreamVersionConflict({ streamId, expected, actual })
      }
      const result = toAppendResult(rows)
      this.noticeLogSize(result.positions[result.positions.length - 1]!)
      this.saw(streamId, result.nextExpectedVersion, tx)
      if (tx === undefined) this.wakeup.appended()
      return result
    }
  }

  /**
   * Appends to many streams in one statement and one round trip (a batch of sensor readings over many
   * runs): each stream at its exact expected version, under its optional guard, in whole or not at all.
   * A stream not at its expectation (behind it, moved on, or expected at 0 but existing), or whose guard
   * moved, comes back as Conflict while the others go in; a command appended before, or a writer racing for
   * the same version, refuses the whole call with BatchAppendRefused (and aborts `tx`): the caller then
   * appends those streams one by one. One stream may appear only once.
   */
  async appendMany(
    appends: ReadonlyArray<StreamAppend<E>>,
    options: { readonly tx?: pg.ClientBase } = {},
  ): Promise<ReadonlyArray<StreamAppendOutcome>> {
    const rows: AppendManyRow[] = []
    const guards: AppendManyGuard[] = []
    // Each distinct guard (stream and version) once, by its index in `guards`.
    const guardIndex = new Map<string, number>()
    const guardOf = (guard: AppendGuard | undefined): number | null => {
      if (guard === undefined) return null
      const key = `${guard.version}\u0000${guard.streamId}`
      let index = guardIndex.get(key)
      if (index === undefined) {
        index = guards.length
        guardIndex.set(key, index)
        guards.push({ i: index, g: guard.streamId, gv: guard.version })
      }
      return index
    }
    const seen = new Set<string>()
    for (const append of appends) {
      if (seen.has(append.streamId)) throw new RangeError(`appendMany was given ${append.streamId} twice`)
      seen.add(append.streamId)
      const gi = guardOf(append.guard)
      let version = append.expected
      for (const part of append.parts) {
        if (part.events.length === 0) throw new RangeError(`append to ${append.streamId} was given no events`)
        const commandId = part.idempotent === false ? null : (part.metadata.commandId ?? null)
        part.events.forEach((event, index) => {
          const encoded = this.codec.encode(event)
          rows.push({
            s: append.streamId,
            e: append.expected,
            v: ++version,
            t: encoded.type,
            sv: encoded.schemaVersion,
            d: encoded.data,
            m: part.metadata,
            c: index === 0 ? commandId : null,
            gi,
          })
        })
      }
    }
    if (rows.length === 0) return []
    let answer: AppendManyWritten
    try {
      answer = (await appendManyEvents(options.tx ?? this.pool, rows, guards)).rows[0]!
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error
      throw new BatchAppendRefused({ streams: appends.length, detail: (error as Error).message })
    }
    const { written } = answer
    if (written.length === 0) return appends.map(() => ({ _tag: 'Conflict' }))
    if (options.tx === undefined) this.wakeup.appended()
    this.noticeLogSize(BigInt(answer.last_position!))
    const transactionId = BigInt(answer.transaction_id!)
    // The answer lists each stream's events together, in version order: where each stream's run starts.
    const startOf = new Map<string, number>()
    written.forEach(([streamId], index) => {
      if (index === 0 || written[index - 1]![0] !== streamId) startOf.set(streamId, index)
    })
    return appends.map((append): StreamAppendOutcome => {
      let at = startOf.get(append.streamId)
      if (at === undefined) return { _tag: 'Conflict' }
      const parts = append.parts.map((part): AppendResult => {
        const first = at!
        at = first + part.events.length
        const positions: bigint[] = new Array(part.events.length)
        for (let n = first; n < at; n++) positions[n - first] = BigInt(written[n]![2])
        return {
          streamId: append.streamId,
          firstVersion: written[first]![1],
          nextExpectedVersion: written[at - 1]![1],
          positions,
          transactionId,
          duplicate: false,
        }
      })
      this.saw(append.streamId, written[at - 1]![1], options.tx)
      return { _tag: 'Appended', parts }
    })
  }

  /**
   * Records that a stream was seen at a version: a committed fact when read or written on the pool, one to
   * record once it commits inside a transaction this store runs, and nothing inside a caller's own.
   */
  private saw(streamId: string, version: number, db: Queryable | undefined): void {
    if (db === undefined || db === this.pool) this.known.record(streamId, version)
    else this.uncommitted.get(db)?.push([streamId, version])
  }

  /**
   * Keeps the planner's view of a young log current. A pooled connection plans each of the store's
   * statements once and keeps the plan; made while the log had a few pages, that plan scans the table
   * instead of its index, and stays until the table is analyzed again, which autovacuum does at most once
   * a minute: a log filled fast right after it was created (a backfill, a benchmark) would scan the whole
   * table for every lookup meanwhile. So while the log is young, each time it has grown past a fourfold
   * step (64 up to 65,536 events) under this store's eyes, the store analyzes it, off the append path,
   * which makes every connection plan again. Beyond that, plans use the index whatever the statistics. It
   * never waits for a lock (an autovacuum of the log holds it: that analyze is as good) and a failure
   * (not the table's owner) is left to autovacuum.
   */
  private noticeLogSize(position: bigint): void {
    if (this.analyzing || !this.youngLog.passed(position)) return
    this.analyzing = true
    analyzeLog(this.pool)
      .catch(() => {})
      .finally(() => {
        this.analyzing = false
      })
  }

  /** Every event of several streams, grouped by stream in version order (streams without events are absent). */
  async readStreams(
    streamIds: ReadonlyArray<string>,
    options: { readonly tx?: Queryable } = {},
  ): Promise<ReadonlyMap<string, ReadonlyArray<RecordedEvent<E>>>> {
    const streams = new Map<string, RecordedEvent<E>[]>()
    if (streamIds.length === 0) return streams
    const { rows } = await selectStreams(options.tx ?? this.pool, streamIds)
    for (const row of rows) {
      const recorded = this.toRecorded(row)
      const list = streams.get(recorded.streamId)
      if (list === undefined) streams.set(recorded.streamId, [recorded])
      else list.push(recorded)
    }
    for (const [streamId, events] of streams)
      this.saw(streamId, events[events.length - 1]!.streamVersion, options.tx)
    return streams
  }

  /** The append a command id made, if it was appended before (the idempotency record). */
  async findCommand(commandId: string, db: Queryable = this.pool): Promise<AppendResult | undefined> {
    const { rows } = await selectCommandAppend(db, commandId)
    return rows.length === 0 ? undefined : toAppendResult(rows)
  }

  /**
   * Runs `work` in one transaction (appends pass `{ tx }`), commits, then wakes the readers.
   * Never hold the transaction across slow I/O: an open writing transaction holds back every reader.
   */
  async transaction<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    const appended: Array<readonly [string, number]> = []
    this.uncommitted.set(client, appended)
    try {
      await client.query('begin')
      const result = await work(client)
      // A statement that failed inside `work`, its error caught there, aborted the transaction: COMMIT then
      // answers ROLLBACK without an error. Nothing was written, and the caller must hear so.
      const ended = await client.query('commit')
      if (ended.command !== 'COMMIT') {
        throw new TransactionRolledBack({
          detail: 'a statement in it failed, and the error was caught inside',
        })
      }
      for (const [streamId, version] of appended) this.known.record(streamId, version)
      this.wakeup.appended()
      return result
    } catch (error) {
      await client.query('rollback').catch(() => {})
      throw error
    } finally {
      this.uncommitted.delete(client)
      client.release()
    }
  }

  /** The events of one stream from a version on (1-based), in order. */
  async readStream(
    streamId: string,
    options: { readonly from?: number; readonly limit?: number; readonly tx?: Queryable } = {},
  ): Promise<ReadonlyArray<RecordedEvent<E>>> {
    const { rows } = await selectStream(
      options.tx ?? this.pool,
      streamId,
      options.from ?? 1,
      options.limit ?? Number.MAX_SAFE_INTEGER,
    )
    const last = rows[rows.length - 1]
    if (last !== undefined) this.saw(streamId, Number(last.stream_version), options.tx)
    return rows.map((row) => this.toRecorded(row))
  }

  /** The stream's current version (0 when it has no events). */
  async streamVersion(streamId: string, db: Queryable = this.pool): Promise<number> {
    const { rows } = await selectStreamVersion(db, streamId)
    const version = Number(rows[0]?.version ?? 0)
    if (version > 0) this.saw(streamId, version, db)
    return version
  }

  /**
   * Events of all streams after `after`, in commit-safe order: an event whose transaction is still in
   * flight, and everything after it, waits until that transaction ends, so nothing is ever skipped.
   */
  async readAll(
    after: Checkpoint,
    options: { readonly limit?: number; readonly tx?: Queryable } = {},
  ): Promise<ReadAllResult<E>> {
    const limit = Math.min(options.limit ?? DEFAULT_READ_LIMIT, MAX_READ_LIMIT)
    const { rows } = await selectAll(options.tx ?? this.pool, after.transactionId, after.position, limit)
    return this.pageAfter(after, rows)
  }

  /** The events of rows read after `after`, and where the next read continues. */
  private pageAfter(after: Checkpoint, rows: ReadonlyArray<EventRow>): ReadAllResult<E> {
    const events = rows.map((row) => this.toRecorded(row))
    const last = events[events.length - 1]
    return {
      events,
      checkpoint:
        last === undefined ? after : { transactionId: last.transactionId, position: last.globalPosition },
    }
  }

  /**
   * The next batch of the named subscription (readAll from its stored checkpoint, and the held-back check)
   * in one round trip; undefined when no such subscription exists.
   */
  async readSubscriptionBatch(
    name: string,
    options: { readonly limit?: number; readonly tx?: Queryable } = {},
  ): Promise<SubscriptionBatch<E> | undefined> {
    const limit = Math.min(options.limit ?? DEFAULT_READ_LIMIT, MAX_READ_LIMIT)
    const { rows } = await selectSubscriptionBatch(options.tx ?? this.pool, name, limit)
    const first = rows[0]
    if (first === undefined) return undefined
    const after = {
      transactionId: BigInt(first.after_transaction_id),
      position: BigInt(first.after_position),
    }
    const read = first.global_position === null ? [] : (rows as ReadonlyArray<EventRow>)
    return { after, ...this.pageAfter(after, read), heldBack: first.held_back }
  }

  private toRecorded(row: EventRow): RecordedEvent<E> {
    return new StoredEvent(row, this.codec)
  }
}

/**
 * A row of the log. The payload and the metadata arrive as JSON text and are parsed on first access,
 * the payload then decoded with the codec and kept: readers that skip most event types (a projection of
 * a few of them) pay only for what they use. A payload that cannot be parsed or decoded throws
 * EventDecodeFailed at that access, so it is surfaced, never dropped.
 */
class StoredEvent<E extends TaggedEvent> implements RecordedEvent<E> {
  readonly globalPosition: bigint
  readonly transactionId: bigint
  readonly streamId: string
  readonly streamVersion: number
  readonly type: string
  readonly schemaVersion: number
  readonly recordedAt: Date
  #data: string | undefined
  #codec: EventCodec<E> | undefined
  #event: E | undefined
  #metadataJson: string | undefined
  #metadata: EventMetadata | undefined

  constructor(row: EventRow, codec: EventCodec<E>) {
    this.globalPosition = BigInt(row.global_position)
    this.transactionId = BigInt(row.transaction_id)
    this.streamId = row.stream_id
    this.streamVersion = Number(row.stream_version)
    this.type = row.type
    this.schemaVersion = row.schema_version
    this.recordedAt = new Date(row.recorded_at_ms)
    this.#data = row.data
    this.#metadataJson = row.metadata
    this.#codec = codec
  }

  get metadata(): EventMetadata {
    if (this.#metadataJson !== undefined) {
      this.#metadata = readMetadata(JSON.parse(this.#metadataJson))
      this.#metadataJson = undefined
    }
    return this.#metadata!
  }

  get event(): E {
    if (this.#codec !== undefined) {
      const decoded = this.#codec.decode(this.type, this.schemaVersion, JSON.parse(this.#data!))
      if (Either.isLeft(decoded)) {
        throw new EventDecodeFailed({
          streamId: this.streamId,
          streamVersion: this.streamVersion,
          type: this.type,
          schemaVersion: this.schemaVersion,
          reason: decoded.left,
        })
      }
      this.#event = decoded.right
      this.#codec = undefined
      this.#data = undefined
    }
    return this.#event as E
  }

  toJSON(): object {
    return { ...this, metadata: this.metadata, event: this.event }
  }
}
