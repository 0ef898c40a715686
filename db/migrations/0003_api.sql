-- Tables of the HTTP API: bearer tokens and the answers kept for Idempotency-Key replays.

-- A bearer token is a high-entropy random string shown once, at creation; only its SHA-256 is kept,
-- so a leaked table does not leak usable tokens. Revoking sets revoked_at; rows are never deleted so
-- that the log's `actor` (token:<id>) always names a known token.
create table api_tokens (
  id text primary key,
  name text not null check (length(name) between 1 and 200),
  token_sha256 bytea not null check (length(token_sha256) = 32),
  scopes text[] not null check (
    cardinality(scopes) > 0
    and scopes <@ array['sensors:write', 'reruns:write', 'pipelines:write', 'admin', 'read']::text[]
  ),
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

-- Serves authentication: the token a request presents is looked up by its hash.
create unique index api_tokens_token_sha256_key on api_tokens (token_sha256);

-- The first answer to a request sent with an Idempotency-Key, replayed for the same key and request.
-- `scope` names what the key is about (e.g. the sensor `sensor:<pipelineId>:<key>`), so one key used on
-- two sensors is two requests; `request_sha256` tells a replay from a different request reusing the key.
create table api_idempotency_keys (
  scope text not null,
  idempotency_key text not null check (length(idempotency_key) between 1 and 255),
  request_sha256 bytea not null,
  status integer not null,
  body jsonb not null,
  created_at timestamptz not null default now(),
  -- Serves the replay lookup (scope, key) and makes concurrent first uses keep one answer.
  constraint api_idempotency_keys_pkey primary key (scope, idempotency_key)
);

-- alerts
-- Tables of the processor's alert dispatcher (apps/processor/src/alerts).

-- The alert outbox: one row per alert and sink, written by the dispatcher as it reads the log and drained
-- by one delivery worker per sink. Keyed by the global position of the event that raised the alert, so an
-- event the dispatcher reads twice (its subscription is at-least-once) is sent once per sink. A delivery
-- that keeps failing ends `dead-lettered` with an entry in dead_letters; a redrive sets it pending again.
create table alert_deliveries (
  event_position bigint not null,
  sink text not null check (sink in ('console', 'file', 'webhook', 'slack')),
  alert jsonb not null,
  status text not null check (status in ('pending', 'sent', 'dead-lettered')),
  attempts integer not null default 0 check (attempts >= 0),
  -- When a worker may try it next: a retry's backoff, or the lease of the worker that claimed it.
  next_attempt_at timestamptz not null,
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  -- Serves the dispatcher's insert-if-absent (the dedupe of a redelivered event) and a redrive's update.
  constraint alert_deliveries_pkey primary key (event_position, sink)
);

-- Serves a worker's claim: the due pending deliveries of one sink, oldest event first.
create index alert_deliveries_pending_idx on alert_deliveries (sink, next_attempt_at, event_position)
  where status = 'pending';

-- The Slack thread of each run (pipeline, schedule, period) in each channel: the first alert of a run
-- starts it, later ones reply in it.
create table alert_slack_threads (
  pipeline_id text not null,
  schedule_id text not null,
  period text not null,
  channel text not null,
  thread_ts text not null,
  -- The channel id Slack answered (a channel configured by name answers with its id).
  channel_id text not null,
  created_at timestamptz not null default now(),
  -- Serves the thread lookup before each post, and keeps the first thread when two first alerts race
  -- (insert-if-absent).
  constraint alert_slack_threads_pkey primary key (pipeline_id, schedule_id, period, channel)
);
