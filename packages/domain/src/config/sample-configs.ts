/**
 * The sample configs of spec §1.15–1.16 and §6.5, as YAML text. Test fixtures: every one must load (and
 * validate against the exported JSON Schema) unchanged, except where a ruling forbids what it contains.
 */

/** Spec §1.15, the complete annotated example (comments kept). */
export const ORDERS_DAILY_YAML = `# File name = runtime pipeline id in the Terraform deployment (orders-daily.yaml -> "orders-daily").
pipeline:
  id: orders-daily                 # required by the YAML loader; should equal the file name
  owner: data-platform             # informational only
  description: Daily orders rollup # informational only

schedule:
  # cron: "0 8 * * *"
  timezone: America/New_York
  trigger:
    key: orders-landed
    check: equals
    field: status
    value: COMPLETE
    deadline: "09:30"
  exclude:
    weekends: true
    holidays: us-federal
    dates: ["2026-12-25", "2026-01-01"]
  include:
    dates: ["2026-03-31", "2026-06-30"]
  calendar: us-business-days
  time: "06:00"
  evaluation:
    window: 1h
    interval: 5m

sla:
  deadline: "10:00"
  expectedDuration: 30m
  maxDuration: 4h
  timezone: America/New_York
  critical: true

validation:
  trigger: ALL
  rules:
    - key: orders-landed
      check: equals
      field: status
      value: COMPLETE
    - key: orders-count
      check: gte
      field: count
      value: 1000
    - key: orders-landed
      check: age_lt
      field: updatedAt
      value: 2h
    - key: hourly-status
      check: exists

job:
  type: glue
  config:
    jobName: orders-daily-etl
    arguments:
      "--env": prod
  maxRetries: 2
  maxCodeRetries: 1
  maxDriftReruns: 2
  maxManualReruns: 3
  jobPollWindowSeconds: 7200

postRun:
  rules:
    - key: output-row-count
      check: gte
      field: count
      value: 1000
  driftField: count
  driftThreshold: 10
  sensorTimeout: 2h
  # evaluation: {window: 1h, interval: 5m}

dryRun: false
`

/** Spec §1.16, testdata/pipelines/gold-revenue.yaml. */
export const GOLD_REVENUE_YAML = `pipeline:
  id: gold-revenue
  owner: analytics-team
  description: Gold-tier revenue aggregation pipeline
schedule:
  cron: "0 8 * * *"
  timezone: UTC
  trigger:
    key: upstream-complete
    check: equals
    field: status
    value: ready
  evaluation:
    window: 1h
    interval: 5m
sla:
  deadline: "10:00"
  expectedDuration: 30m
validation:
  trigger: ALL
  rules:
    - key: upstream-complete
      check: equals
      field: status
      value: ready
    - key: row-count
      check: gte
      field: count
      value: 1000
    - key: freshness
      check: age_lt
      field: updatedAt
      value: 2h
job:
  type: glue
  config:
    jobName: gold-revenue-etl
  maxRetries: 2
`

/** Spec §1.16, testdata/pipelines/silver-orders.yaml. */
export const SILVER_ORDERS_YAML = `pipeline:
  id: silver-orders
  owner: data-platform
  description: Silver-tier orders ingestion pipeline
schedule:
  trigger:
    key: orders-landed
    check: exists
    field: ""
    value: null
  evaluation:
    window: 30m
    interval: 2m
validation:
  trigger: ANY
  rules:
    - key: orders-landed
      check: exists
    - key: orders-count
      check: gt
      field: count
      value: 0
job:
  type: http
  config:
    url: https://example.com/trigger
    method: POST
  maxRetries: 1
`

/** Spec §6.5 TestPipelineConfig_UnmarshalYAML. */
export const GOLD_REVENUE_NY_YAML = `pipeline:
  id: gold-revenue
  owner: revenue-team
schedule:
  cron: "0 7 * * *"
  timezone: America/New_York
  exclude:
    weekends: true
    holidays: us-federal
  evaluation:
    window: 1h
    interval: 5m
sla:
  deadline: "08:00"
  critical: true
validation:
  trigger: ALL
  rules:
    - key: upstream-complete
      check: equals
      field: status
      value: COMPLETE
    - key: record-count
      check: gte
      field: count
      value: 1000
job:
  type: glue
  config:
    jobName: gold-revenue-etl
  maxRetries: 2
postRun:
  rules:
    - key: output-row-count
      check: gte
      field: count
      value: 1000
`

/** Spec §6.5 TestPipelineConfig_StreamTriggered (its `SENSOR#` trigger key is refused under R1). */
export const STREAM_TRIGGERED_YAML = `pipeline:
  id: raw-orders
  owner: ingest-team
  description: Stream-triggered raw orders
schedule:
  trigger:
    key: SENSOR#raw-orders-landed
    check: equals
    field: status
    value: COMPLETE
  evaluation:
    window: 30m
    interval: 2m
validation:
  rules:
    - key: raw-orders-landed
      check: equals
      field: status
      value: COMPLETE
    - key: raw-orders-schema
      check: exists
job:
  type: step-function
  config:
    stateMachineArn: arn:aws:states:us-east-1:123456789012:stateMachine:raw-orders
`

/** Spec §6.5 TestPipelineConfig_Minimal. */
export const BRONZE_INGEST_YAML = `pipeline:
  id: bronze-ingest
schedule:
  evaluation:
    window: 15m
    interval: 1m
validation:
  trigger: ANY
  rules:
    - key: raw-landed
      check: exists
job:
  type: command
  config:
    command: ./ingest.sh
  maxRetries: 0
`

/** Spec §6.5 TestPipelineConfig_CalendarSchedule. */
export const MONTHLY_REPORT_YAML = `pipeline:
  id: monthly-report
  owner: finance
schedule:
  calendar: us-business-days
  time: "06:00"
  timezone: America/Chicago
  exclude:
    weekends: false
    dates: ["2026-01-01", "2026-12-25"]
  evaluation:
    window: 2h
    interval: 10m
sla:
  deadline: "09:00"
  expectedDuration: 1h
  timezone: America/Chicago
  critical: false
validation:
  rules:
    - key: ledger-closed
      check: equals
      field: status
      value: CLOSED
    - key: ledger-rows
      check: gt
      field: count
      value: 0
    - key: ledger-closed
      check: age_lt
      field: updatedAt
      value: 24h
job:
  type: http
  config:
    url: https://internal.example.com/api/v1/reports/monthly
    method: POST
  maxRetries: 3
`

/** Every sample that loads unchanged. */
export const LOADABLE_SAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['§1.15 orders-daily', ORDERS_DAILY_YAML],
  ['§1.16 gold-revenue', GOLD_REVENUE_YAML],
  ['§1.16 silver-orders', SILVER_ORDERS_YAML],
  ['§6.5 UnmarshalYAML', GOLD_REVENUE_NY_YAML],
  ['§6.5 Minimal', BRONZE_INGEST_YAML],
  ['§6.5 CalendarSchedule', MONTHLY_REPORT_YAML],
]
