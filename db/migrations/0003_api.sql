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
