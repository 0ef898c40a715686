import pg from 'pg'

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>

export interface AppendRow {
  global_position: string | null
  stream_version: string
  transaction_id: string | null
  duplicate: boolean
  /** The stream written: for a duplicate command, the stream of its original append. */
  stream_id: string
}

/**
 * The exact-version append as one plain INSERT (one round trip, no CTE): the new rows take versions
 * `$2 + 1 …`, so the unique key on (stream_id, stream_version) refuses them when the stream has moved
 * past `$2`, and the `exists` probe on that same index inserts nothing when the stream is behind `$2`
 * (needed only when `$2` > 0 and the store does not know the stream reached it).
 * Rows: the inserted events, or none when the stream is behind. A stream that moved on, a racing writer
 * and a command appended before all surface as a unique violation (events_stream_version_key or
 * events_command_id_key); the store resolves both outcomes off the hot path (selectCommandAppend, then
 * selectStreamVersion for the conflict's actual version). Exact expectations only (`$2` ≥ 0).
 *
 * Variants: one event (scalar parameters, no arrays to build or unnest, and only the two columns the
 * server assigns come back: oneEventRows adds what the caller already knows) or several; without the
 * probe when the store knows the stream has reached `$2` (see KnownVersions); with a guard (`$8`, `$9`).
 */
function exactAppendText(one: boolean, probe: boolean, guarded: boolean): string {
  const conditions = [
    ...(probe ? ['exists (select from events e where e.stream_id = $1 and e.stream_version = $2)'] : []),
    ...(guarded ? [GUARD] : []),
  ]
  const where = conditions.length === 0 ? '' : `\n  where ${conditions.join('\n    and ')}`
  // Nothing to check (no probe, no guard): a plain VALUES row, the cheapest INSERT there is.
  const row = '$1, $2::bigint + 1, $3, $4, $5::jsonb, $6::jsonb, $7'
  return one
    ? `insert into events (stream_id, stream_version, type, schema_version, data, metadata, command_id)
  ${conditions.length === 0 ? `values (${row})` : `select ${row}${where}`}
  returning global_position, transaction_id`
    : `insert into events (stream_id, stream_version, type, schema_version, data, metadata, command_id)
  select $1, $2::bigint + u.i, u.t, u.sv, u.d, u.m, case when u.i = 1 then $7 end
  from unnest($3::text[], $4::int[], $5::jsonb[], $6::jsonb[]) with ordinality as u(t, sv, d, m, i)${where}
  returning global_position, stream_version, transaction_id, false as duplicate, stream_id`
}

/**
 * The guard of a guarded append: the decision was made on another stream at a version (a pipeline's
 * config), so the events go in only while that stream is still exactly there. An index probe, one row.
 */
const GUARD = '(select coalesce(max(g.stream_version), 0) from events g where g.stream_id = $8) = $9'

/** The eight exact appends as named statements, by [one][probe][guarded]. */
const EXACT_APPENDS = [false, true].map((one) =>
  [false, true].map((probe) =>
    [false, true].map((guarded) => ({
      name: `interlock_append_${one ? 'one' : 'exact'}${probe ? '_probed' : ''}${guarded ? '_guarded' : ''}`,
      text: exactAppendText(one, probe, guarded),
    })),
  ),
)

/** Another stream that must still be at a version for an append to go in (see AppendOptions.guard). */
export interface AppendGuard {
  readonly streamId: string
  readonly version: number
}

/** The events an already appended command wrote (its first event carries command_id). */
export function selectCommandAppend(db: Queryable, commandId: string): Promise<pg.QueryResult<AppendRow>> {
  return db.query<AppendRow>({
    name: 'interlock_command_append',
    text: `select e.global_position, e.stream_version, e.transaction_id, true as duplicate, e.stream_id
           from events p join events e
             on e.stream_id = p.stream_id and e.stream_version >= p.stream_version
            and e.transaction_id = p.transaction_id
           where p.command_id = $1
             and (e.global_position = p.global_position or e.metadata ->> 'commandId' = $1)
           order by e.stream_version`,
    values: [commandId],
  })
}

/**
 * Appends with `$2` = -1 (any version) go through append_events, which queues such writers per stream
 * with an advisory lock and reads the version after it: a single statement could not (its snapshot
 * predates the wait).
 */
const APPEND_ANY = 'select * from append_events($1, $2, $3, $4, $5::jsonb[], $6::jsonb[], $7)'

/** Completes the rows of a one-event exact append: the stream, its new version, not a duplicate. */
function oneEventRows(
  result: pg.QueryResult<AppendRow>,
  streamId: string,
  expected: number,
): pg.QueryResult<AppendRow> {
  for (const row of result.rows) {
    row.stream_id = streamId
    row.stream_version = String(expected + 1)
    row.duplicate = false
  }
  return result
}

/**
 * Appends to one stream. `reached`: the caller knows the stream is at `expected` or beyond (a committed
 * fact, see KnownVersions), so the probe for a stream behind its expectation is left out.
 */
export function appendEvents(
  db: Queryable,
  streamId: string,
  expected: number,
  types: ReadonlyArray<string>,
  schemaVersions: ReadonlyArray<number>,
  data: ReadonlyArray<string>,
  metadata: ReadonlyArray<string>,
  commandId: string | null,
  guard: AppendGuard | undefined,
  reached: boolean,
): Promise<pg.QueryResult<AppendRow>> {
  if (expected < 0) {
    if (guard !== undefined)
      throw new RangeError(`a guarded append to ${streamId} needs an exact expected version`)
    return db.query<AppendRow>({
      name: 'interlock_append_any',
      text: APPEND_ANY,
      values: [streamId, expected, types, schemaVersions, data, metadata, commandId],
    })
  }
  const one = types.length === 1
  const statement =
    EXACT_APPENDS[one ? 1 : 0]![reached || expected === 0 ? 0 : 1]![guard === undefined ? 0 : 1]!
  const values: unknown[] = one
    ? [streamId, expected, types[0], schemaVersions[0], data[0], metadata[0], commandId]
    : [streamId, expected, types, schemaVersions, data, metadata, commandId]
  if (guard !== undefined) values.push(guard.streamId, guard.version)
  const appended = db.query<AppendRow>({ name: statement.name, text: statement.text, values })
  return one ? appended.then((result) => oneEventRows(result, streamId, expected)) : appended
}

export interface EventRow {
  global_position: string
  transaction_id: string
  stream_id: string
  stream_version: string
  type: string
  schema_version: number
  /** JSON text: parsed when a reader first asks for the event (see EVENT_ROW_TYPES). */
  data: string
  /** JSON text, parsed on first access. */
  metadata: string
  recorded_at_ms: number
}

const JSONB_OID = 3802
const textAsIs = (value: string): string => value

/**
 * Event rows keep their jsonb columns as text: JSON.parse of every payload is most of what a page of
 * readAll costs in this process, and readers that skip most event types never need it.
 */
const EVENT_ROW_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === JSONB_OID
      ? textAsIs
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
}

// recorded_at travels as epoch milliseconds: parsing timestamptz text costs more than the rest of a row.
const EVENT_COLUMNS = `global_position, transaction_id, stream_id, stream_version, type, schema_version, data, metadata,
  (extract(epoch from recorded_at) * 1000)::float8 as recorded_at_ms`

export function selectStream(
  db: Queryable,
  streamId: string,
  fromVersion: number,
  limit: number,
): Promise<pg.QueryResult<EventRow>> {
  return db.query<EventRow>({
    name: 'interlock_read_stream',
    types: EVENT_ROW_TYPES,
    text: `select ${EVENT_COLUMNS} from events
           where stream_id = $1 and stream_version >= $2
           order by stream_version limit $3`,
    values: [streamId, fromVersion, limit],
  })
}

/**
 * The commit-safe read of the whole log: only transactions older than every one still in flight,
 * in (transaction_id, global_position) order, after the cursor. Served by events_transaction_position_idx.
 */
export function selectAll(
  db: Queryable,
  afterTransactionId: bigint,
  afterPosition: bigint,
  limit: number,
): Promise<pg.QueryResult<EventRow>> {
  return db.query<EventRow>({
    name: 'interlock_read_all',
    types: EVENT_ROW_TYPES,
    text: `select ${EVENT_COLUMNS} from events
           where (transaction_id, global_position) > ($1::xid8, $2::bigint)
             and transaction_id < pg_snapshot_xmin(pg_current_snapshot())
           order by transaction_id, global_position
           limit $3`,
    values: [afterTransactionId.toString(), afterPosition.toString(), limit],
  })
}

/** One row of appendManyEvents: a stream's event with the stream's expectation and guard. */
export interface AppendManyRow {
  /** stream id, expected version, version, type, schema version, data, metadata, command id */
  readonly s: string
  readonly e: number
  readonly v: number
  readonly t: string
  readonly sv: number
  readonly d: unknown
  readonly m: unknown
  readonly c: string | null
  /** The stream's guard: its index in the statement's guards, or null. */
  readonly gi: number | null
}

/** A guard of appendManyEvents: a stream that must still be at a version, by its index. */
export interface AppendManyGuard {
  readonly i: number
  readonly g: string
  readonly gv: number
}

/** What appendManyEvents wrote: each event as [stream id, stream version, global position], by stream and version. */
export interface AppendManyWritten {
  readonly written: ReadonlyArray<readonly [string, number, string]>
  /** The writing transaction's id and the last position written, or null when nothing was written. */
  readonly transaction_id: string | null
  readonly last_position: string | null
}

/**
 * Appends to many streams in one statement, each at its exact expected version and under its optional
 * guard: one row per event, in stream order, the stream's expectation repeated on each of its rows so
 * that a stream goes in whole or not at all. A stream that is not at its expectation (behind it, moved
 * on, or expected not to exist but existing), or whose guard moved, inserts nothing (its events are missing
 * from the answer), so a writer may append to a stream it has not read as if it were new and learn
 * otherwise at no extra cost, and one stale stream does not cost the others their write. A command
 * appended before, or a writer racing for the same version, fails the whole statement with a unique
 * violation.
 *
 * Each stream's head is looked up by a scalar subquery (the index, backwards), never by EXISTS: the
 * planner may turn an EXISTS into a hash of the whole table when the table was small as the statement's
 * generic plan was made, and a pooled connection keeps that plan while the log grows.
 *
 * The rows travel as one jsonb document, parsed once (json_to_recordset parsed the document twice and each
 * payload a third time); JSON.stringify is native where parallel arrays made the driver escape every
 * payload into an array literal character by character. The guards travel apart and are looked up once
 * each, in an init plan that lists the ones that moved (a batch of 1,000 readings has a few dozen
 * pipelines), not once per row. The answer is one row: a thousand appended events come back as one JSON
 * array, which the client parses natively instead of row by row.
 */
export function appendManyEvents(
  db: Queryable,
  rows: ReadonlyArray<AppendManyRow>,
  guards: ReadonlyArray<AppendManyGuard>,
): Promise<pg.QueryResult<AppendManyWritten>> {
  return db.query<AppendManyWritten>({
    name: 'interlock_append_many',
    text: `with appended as (
             insert into events (stream_id, stream_version, type, schema_version, data, metadata, command_id)
             select u.s, u.v, u.t, u.sv, u.d, u.m, u.c
             from jsonb_to_recordset($1::jsonb)
               as u(s text, e bigint, v bigint, t text, sv int, d jsonb, m jsonb, c text, gi int)
             where coalesce((select max(x.stream_version) from events x where x.stream_id = u.s), 0) = u.e
               and (u.gi is null or u.gi <> all (array(
                     select w.i from json_to_recordset($2::json) as w(i int, g text, gv bigint)
                     where (select coalesce(max(y.stream_version), 0) from events y where y.stream_id = w.g) <> w.gv)))
             returning global_position, stream_version, transaction_id, stream_id)
           select coalesce(json_agg(json_build_array(stream_id, stream_version, global_position::text)
                                    order by stream_id collate "C", stream_version), '[]') as written,
                  min(transaction_id::text) as transaction_id,
                  max(global_position)::text as last_position
           from appended`,
    values: [JSON.stringify(rows), JSON.stringify(guards)],
  })
}

/** Every event of several streams, by stream and version: how a batch folds its streams in one round trip. */
export function selectStreams(
  db: Queryable,
  streamIds: ReadonlyArray<string>,
): Promise<pg.QueryResult<EventRow>> {
  return db.query<EventRow>({
    name: 'interlock_read_streams',
    types: EVENT_ROW_TYPES,
    text: `select ${EVENT_COLUMNS} from events where stream_id = any($1::text[]) order by stream_id, stream_version`,
    values: [streamIds],
  })
}

export function selectStreamVersion(
  db: Queryable,
  streamId: string,
): Promise<pg.QueryResult<{ version: string }>> {
  return db.query<{ version: string }>({
    name: 'interlock_stream_version',
    text: 'select coalesce(max(stream_version), 0) as version from events where stream_id = $1',
    values: [streamId],
  })
}

export function ensureSubscription(db: Queryable, name: string): Promise<pg.QueryResult> {
  return db.query('insert into event_subscriptions (name) values ($1) on conflict (name) do nothing', [name])
}

/** A row of selectSubscriptionBatch: the checkpoint and held-back flag, and an event unless there is none. */
export type SubscriptionBatchRow = { [K in keyof EventRow]: EventRow[K] | null } & {
  after_transaction_id: string
  after_position: string
  held_back: boolean
}

/**
 * A subscription's next batch in one round trip: its stored checkpoint, up to `limit` events after it in
 * commit-safe order (as selectAll), and whether committed events wait beyond the in-flight horizon, which
 * tells the reader to look again soon. One row per event, or a single row with null event columns when
 * there is none; no row when the subscription does not exist.
 */
export function selectSubscriptionBatch(
  db: Queryable,
  name: string,
  limit: number,
): Promise<pg.QueryResult<SubscriptionBatchRow>> {
  return db.query<SubscriptionBatchRow>({
    name: 'interlock_subscription_batch',
    types: EVENT_ROW_TYPES,
    text: `with c as materialized (
             select transaction_id as t, global_position as p, pg_snapshot_xmin(pg_current_snapshot()) as horizon
             from event_subscriptions where name = $1),
           h as materialized (
             select exists (select from events b, c
                            where (b.transaction_id, b.global_position) > (c.t, c.p)
                              and b.transaction_id >= c.horizon) as held_back)
           select c.t::text as after_transaction_id, c.p::text as after_position, h.held_back, e.*
           from c cross join h left join lateral (
             select ${EVENT_COLUMNS} from events
             where (transaction_id, global_position) > (c.t, c.p) and transaction_id < c.horizon
             order by transaction_id, global_position
             limit $2) e on true`,
    values: [name, limit],
  })
}

/**
 * Moves a checkpoint forward only from where the batch started (compare-and-set): zero rows means a
 * rebuild reset it, or another holder moved it, meanwhile, and the batch must not count.
 */
export function advanceSubscriptionCheckpoint(
  db: Queryable,
  name: string,
  from: { readonly transactionId: bigint; readonly position: bigint },
  to: { readonly transactionId: bigint; readonly position: bigint },
): Promise<pg.QueryResult> {
  return db.query({
    name: 'interlock_advance_checkpoint',
    text: `update event_subscriptions set transaction_id = $4::xid8, global_position = $5, updated_at = now()
           where name = $1 and transaction_id = $2::xid8 and global_position = $3`,
    values: [
      name,
      from.transactionId.toString(),
      from.position.toString(),
      to.transactionId.toString(),
      to.position.toString(),
    ],
  })
}

export function resetSubscriptionCheckpoint(db: Queryable, name: string): Promise<pg.QueryResult> {
  return db.query(
    `update event_subscriptions set transaction_id = '0'::xid8, global_position = 0, updated_at = now()
     where name = $1`,
    [name],
  )
}

/** Refreshes the log's planner statistics (and so every connection's plans for it). */
export function analyzeLog(db: Queryable): Promise<pg.QueryResult> {
  return db.query('analyze (skip_locked) events')
}

export function tryAdvisoryLock(db: Queryable, key: string): Promise<pg.QueryResult<{ locked: boolean }>> {
  return db.query('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [key])
}

export function advisoryUnlock(db: Queryable, key: string): Promise<pg.QueryResult> {
  return db.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key])
}

/** The wake-up hint for readers in other processes: empty payload, never the data channel. */
export const NOTIFY_CHANNEL = 'interlock_events'

export function notifyAppended(db: Queryable): Promise<pg.QueryResult> {
  return db.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`)
}
