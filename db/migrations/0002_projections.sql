-- Read models materialised from the event log by @interlock/projections; packages/projections/README.md
-- documents every column and gives example queries. A projection writes its rows in the transaction that
-- stores its subscription checkpoint (exactly-once), and a rebuild truncates its tables and replays the
-- log from position 0, so nothing here is ever the source of truth: the log is. Instants are the event's
-- decided instant (`at`), never now(), so a rebuild reproduces every row exactly.
-- dead_letters is the exception: written by the processor, never rebuilt.

-- One row per pipeline: its current config (pipeline stream).
create table pipelines (
  pipeline_id text primary key,
  config jsonb not null,
  version integer not null check (version > 0),
  hash text not null,
  paused boolean not null,
  pause_reason text,
  removed boolean not null,
  owner text,
  description text,
  dry_run boolean not null,
  monitoring_since timestamptz not null,
  updated_at timestamptz not null
);

-- The latest reading of each sensor key of a pipeline (the original's SENSOR#<key> row).
create table sensors_latest (
  pipeline_id text not null,
  sensor_key text not null,
  schedule_id text not null,
  period text not null,
  data jsonb not null,
  recorded_at timestamptz not null,
  source text,
  primary key (pipeline_id, sensor_key)
);

-- The run log: one row per run (pipeline, schedule, execution period).
create table runs (
  pipeline_id text not null,
  schedule_id text not null,
  period text not null,
  status text not null check (status in (
    'waiting', 'evaluating', 'triggering', 'running', 'succeeded', 'failed', 'validation_exhausted', 'excluded'
  )),
  dry_run boolean not null,
  attempt_count integer not null check (attempt_count >= 0),
  current_attempt_id text,
  job_run_id text,
  failure_category text,
  failure_reason text,
  rerun_count integer not null check (rerun_count >= 0),
  opened_at timestamptz not null,
  first_sensor_at timestamptz,
  deferred_until timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  lock_expires_at timestamptz,
  sla_warning_at timestamptz,
  sla_breach_at timestamptz,
  sla_status text check (sla_status in ('pending', 'warning', 'breached', 'met')),
  sla_critical boolean,
  relative_sla_warning_at timestamptz,
  relative_sla_breach_at timestamptz,
  relative_sla_status text check (relative_sla_status in ('pending', 'warning', 'breached', 'met')),
  post_run_status text,
  dry_run_triggered_at timestamptz,
  config_version integer,
  updated_at timestamptz not null,
  primary key (pipeline_id, schedule_id, period)
);

-- Serves listRuns: a pipeline's runs, newest period first, keyset on (period desc, schedule_id).
create index runs_pipeline_period_idx on runs (pipeline_id, period desc, schedule_id);

-- Serves the watchdog's stale-run scan: live runs whose attempt lock has expired.
create index runs_live_lock_idx on runs (lock_expires_at)
  where status in ('evaluating', 'triggering', 'running');

-- One row per attempt of a run.
create table run_attempts (
  attempt_id text primary key,
  pipeline_id text not null,
  schedule_id text not null,
  period text not null,
  attempt_number integer not null check (attempt_number > 0),
  cause text not null,
  status text not null check (status in (
    'evaluating', 'triggering', 'running', 'succeeded', 'failed', 'validation_exhausted', 'superseded'
  )),
  sensor_key text,
  rerun_reason text,
  job_type text,
  job_run_id text,
  failure_category text,
  failure_reason text,
  error text,
  evaluations integer not null,
  evaluation_passed boolean,
  trigger_tries integer not null,
  polls integer not null,
  started_at timestamptz not null,
  job_started_at timestamptz,
  finished_at timestamptz,
  lock_expires_at timestamptz not null,
  superseded_by text,
  cancel_requested_at timestamptz,
  config_version integer not null,
  updated_at timestamptz not null
);

-- Serves getRun (the attempts of one run, in order) and the runs projection's load of a batch's runs.
create index run_attempts_run_idx on run_attempts (pipeline_id, schedule_id, period, attempt_number);

-- Every decided rerun request: accepted or rejected, and why.
create table reruns (
  id bigint primary key,
  request_id text not null,
  pipeline_id text not null,
  schedule_id text not null,
  period text not null,
  reason text not null,
  outcome text not null check (outcome in ('accepted', 'rejected')),
  why text not null,
  attempt_id text,
  used integer,
  budget integer,
  dry_run boolean not null,
  decided_at timestamptz not null,
  -- A run decides a request id once; the constraint makes a replay of the same decision a no-op.
  constraint reruns_request_key unique (pipeline_id, schedule_id, period, request_id)
);

-- Serves listReruns of one pipeline, newest first, keyset on (decided_at, id).
create index reruns_pipeline_time_idx on reruns (pipeline_id, decided_at, id);

-- Serves listReruns of all pipelines, newest first, keyset on (decided_at, id).
create index reruns_time_idx on reruns (decided_at, id);

-- The public audit table of the original's events table (lifecycle spec §9.3, ruling D19). Named
-- audit_events because `events` is the event log itself.
create table audit_events (
  id bigint primary key,
  type text not null,
  source_type text not null,
  pipeline_id text not null,
  schedule_id text not null,
  period text not null,
  attempt_id text,
  severity text not null check (severity in ('critical', 'warning', 'success', 'info')),
  alert boolean not null,
  message text not null,
  detail jsonb not null,
  occurred_at timestamptz not null
);

-- Serves listAuditEvents by type (e.g. every SLA_BREACH this week), keyset on (occurred_at, id).
create index audit_events_type_time_idx on audit_events (type, occurred_at, id);

-- Serves listAuditEvents of one pipeline (optionally one period or type), keyset on (occurred_at, id).
create index audit_events_pipeline_time_idx on audit_events (pipeline_id, occurred_at, id);

-- Serves listAuditEvents without a pipeline or type filter, keyset on (occurred_at, id).
create index audit_events_time_idx on audit_events (occurred_at, id);

-- Side effects that failed for good (alerts, job calls, ...), kept until redriven. Written by the processor.
create table dead_letters (
  id bigint generated always as identity primary key,
  kind text not null,
  -- What failed, when the writer can name it: a repeated failure of an open entry updates it.
  key text,
  payload jsonb not null,
  error text not null,
  attempts integer not null check (attempts > 0),
  first_failed_at timestamptz not null,
  last_failed_at timestamptz not null,
  redriven_at timestamptz
);

-- Serves recordDeadLetter: at most one open entry per (kind, key), found and updated on a repeat.
create unique index dead_letters_open_key on dead_letters (kind, key)
  where redriven_at is null and key is not null;

-- Serves listDeadLetters (open entries, optionally of one kind), newest first, keyset on id.
create index dead_letters_open_idx on dead_letters (kind, id) where redriven_at is null;
