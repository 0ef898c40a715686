-- The event log: every fact Interlock knows, append-only.
--
-- global_position orders events; transaction_id (xid8) makes reading the whole log in order safe:
-- a reader only takes rows whose transaction is older than every transaction still in flight
-- (pg_snapshot_xmin), so an event that commits after a later-numbered one is never skipped.
create table events (
  global_position bigint generated always as identity primary key,
  transaction_id xid8 not null default pg_current_xact_id(),
  stream_id text not null,
  stream_version bigint not null check (stream_version > 0),
  type text not null,
  schema_version integer not null check (schema_version > 0),
  data jsonb not null,
  metadata jsonb not null default '{}'::jsonb,
  -- Set on the first event of an append only, so the unique index below makes a command
  -- append at most once; the other events of the append carry it in metadata.commandId.
  command_id text,
  recorded_at timestamptz not null default now(),
  -- The optimistic-concurrency guard; also serves readStream and the current-version lookup.
  constraint events_stream_version_key unique (stream_id, stream_version)
);

-- Serves the idempotency check of append (lookup of an already appended command).
create unique index events_command_id_key on events (command_id) where command_id is not null;

-- Serves readAll and every subscription poll: (transaction_id, global_position) > cursor, ordered.
-- Without an index led by transaction_id the caught-up poll is a full scan and sort.
create index events_transaction_position_idx on events (transaction_id, global_position);

-- The log is immutable: the database itself refuses UPDATE, DELETE and TRUNCATE.
create function events_reject_change() returns trigger
language plpgsql as $$
begin
  raise exception 'the event log is append-only: % on events is not allowed', tg_op
    using errcode = 'restrict_violation';
end;
$$;

create trigger events_immutable_rows
  before update or delete on events
  for each row execute function events_reject_change();

create trigger events_immutable_table
  before truncate on events
  for each statement execute function events_reject_change();

-- Appends events to one stream in one round trip.
--   p_expected: -1 = any version, 0 = the stream must not exist, n = the stream must be at version n.
-- Returns one row per event (duplicate = true when p_command_id was appended before; those rows are the
-- original append's), or a single row with global_position null and stream_version = the actual version
-- when the expectation does not hold. A writer racing on the same version fails on
-- events_stream_version_key; a writer racing with the same command fails on events_command_id_key.
create function append_events(
  p_stream_id text,
  p_expected bigint,
  p_types text[],
  p_schema_versions integer[],
  p_data jsonb[],
  p_metadata jsonb[],
  p_command_id text
) returns table (global_position bigint, stream_version bigint, transaction_id xid8, duplicate boolean, stream_id text)
language plpgsql as $$
declare
  v_current bigint;
  v_head events%rowtype;
begin
  if p_command_id is not null then
    select * into v_head from events e where e.command_id = p_command_id;
    if found then
      return query
        select e.global_position, e.stream_version, e.transaction_id, true, e.stream_id
        from events e
        where e.stream_id = v_head.stream_id
          and e.stream_version >= v_head.stream_version
          and e.transaction_id = v_head.transaction_id
          and (e.global_position = v_head.global_position or e.metadata ->> 'commandId' = p_command_id)
        order by e.stream_version;
      return;
    end if;
  end if;

  -- Writers that do not care about the version queue up per stream instead of racing for it.
  if p_expected < 0 then
    perform pg_advisory_xact_lock(hashtextextended('interlock-append:' || p_stream_id, 0));
  end if;

  select coalesce(max(e.stream_version), 0) into v_current from events e where e.stream_id = p_stream_id;

  if p_expected >= 0 and v_current <> p_expected then
    return query select null::bigint, v_current, null::xid8, false, p_stream_id;
    return;
  end if;

  return query
    insert into events as e (stream_id, stream_version, type, schema_version, data, metadata, command_id)
    select p_stream_id, v_current + u.i, u.t, u.sv, u.d, u.m, case when u.i = 1 then p_command_id end
    from unnest(p_types, p_schema_versions, p_data, p_metadata) with ordinality as u(t, sv, d, m, i)
    returning e.global_position, e.stream_version, e.transaction_id, false, e.stream_id;
end;
$$;

-- One row per subscription (projection or reactor): how far it has read, as the (xid, position) cursor.
create table event_subscriptions (
  name text primary key,
  transaction_id xid8 not null default '0'::xid8,
  global_position bigint not null default 0,
  updated_at timestamptz not null default now()
);
