import type { Queryable } from '@interlock/eventstore'

// Every statement the API runs itself; reads of the projections go through @interlock/projections.

/** Table api_tokens (db/migrations/0003_api.sql). */
export interface ApiTokenRow {
  readonly id: string
  readonly name: string
  readonly scopes: ReadonlyArray<string>
  readonly created_at: Date
  readonly revoked_at: Date | null
}

export function insertToken(
  db: Queryable,
  token: { id: string; name: string; sha256: Buffer; scopes: ReadonlyArray<string> },
) {
  return db.query<ApiTokenRow>(
    `insert into api_tokens (id, name, token_sha256, scopes) values ($1, $2, $3, $4)
     returning id, name, scopes, created_at, revoked_at`,
    [token.id, token.name, token.sha256, token.scopes],
  )
}

export function selectTokens(db: Queryable) {
  return db.query<ApiTokenRow>(
    'select id, name, scopes, created_at, revoked_at from api_tokens order by created_at, id',
  )
}

export function selectTokenByHash(db: Queryable, sha256: Buffer) {
  return db.query<ApiTokenRow>(
    'select id, name, scopes, created_at, revoked_at from api_tokens where token_sha256 = $1',
    [sha256],
  )
}

export function updateTokenRevoked(db: Queryable, id: string) {
  return db.query<ApiTokenRow>(
    `update api_tokens set revoked_at = coalesce(revoked_at, now()) where id = $1
     returning id, name, scopes, created_at, revoked_at`,
    [id],
  )
}

/** Table api_idempotency_keys. */
export interface IdempotentAnswerRow {
  readonly request_sha256: Buffer
  readonly status: number
  readonly body: unknown
}

export function selectIdempotentAnswer(db: Queryable, scope: string, key: string) {
  return db.query<IdempotentAnswerRow>(
    'select request_sha256, status, body from api_idempotency_keys where scope = $1 and idempotency_key = $2',
    [scope, key],
  )
}

/** Keeps the first answer: a concurrent first use that lost the race changes nothing. */
export function insertIdempotentAnswer(
  db: Queryable,
  answer: { scope: string; key: string; requestSha256: Buffer; status: number; body: unknown },
) {
  return db.query(
    `insert into api_idempotency_keys (scope, idempotency_key, request_sha256, status, body)
     values ($1, $2, $3, $4, $5) on conflict (scope, idempotency_key) do nothing`,
    [answer.scope, answer.key, answer.requestSha256, answer.status, JSON.stringify(answer.body)],
  )
}

export function selectOne(db: Queryable) {
  return db.query('select 1')
}

/**
 * How far each projection is behind the log: the age of the oldest event it has not applied yet
 * (0 when it is caught up). Reads one row per projection through the events primary key.
 */
export function selectProjectionLag(db: Queryable) {
  return db.query<{ name: string; lag_ms: number }>(
    `select s.name,
            coalesce((select (extract(epoch from now() - e.recorded_at) * 1000)::float8
                      from events e where e.global_position > s.global_position
                      order by e.global_position limit 1), 0) as lag_ms
     from event_subscriptions s
     where s.name like 'projection:%'
     order by s.name`,
  )
}

/** The log's head: how many events were ever appended (positions are gap-free only per commit, near enough). */
export function selectLogHead(db: Queryable) {
  return db.query<{ head: string | null }>('select max(global_position)::text as head from events')
}

/**
 * pg-boss jobs by queue and state, and timers due at `nowMs` (queued timers whose fireAt has passed),
 * or no rows when pg-boss has not created its schema in this database.
 */
export async function selectJobCounts(db: Queryable, nowMs: number) {
  const { rows } = await db.query<{ present: boolean }>(
    "select to_regclass('pgboss.job') is not null as present",
  )
  if (rows[0]?.present !== true) return { byState: [], timersDue: 0 }
  const byState = await db.query<{ queue: string; state: string; count: number }>(
    'select name as queue, state::text as state, count(*)::int as count from pgboss.job group by 1, 2 order by 1, 2',
  )
  const due = await db.query<{ count: number }>(
    `select count(*)::int as count from pgboss.job
     where name = 'interlock-timer' and state = 'created' and (data ->> 'fireAt')::bigint <= $1`,
    [nowMs],
  )
  return { byState: byState.rows, timersDue: due.rows[0]?.count ?? 0 }
}
