/**
 * The YAML blocks of seed 001's README (`../shared/seeds/001_6420f16adf97131c.txt`), verbatim, in the order
 * they appear. Test fixtures: each must load unchanged (`seed-layout.test.ts`; the interlock.yaml block in
 * the CLI's project config test). Some are fragments of a pipeline, loaded inside the seed's own pipeline.
 */

/** Seed 001 README §Retry with Backoff. */
export const SEED_RETRY_YAML = `retry:
  maxAttempts: 3
  backoffSeconds: 30
  backoffMultiplier: 2.0
  retryableFailures: [TRANSIENT, TIMEOUT]
`

/** Seed 001 README §Post-Run Monitoring / Drift Detection. */
export const SEED_WATCH_YAML = `watch:
  interval: 30s
  monitoring:
    enabled: true
    duration: 2h
`

/** Seed 001 README §SLA Tracking. */
export const SEED_SLA_YAML = `sla:
  evaluationDeadline: "09:00"
  completionDeadline: "12:00"
  validationTimeout: "10:00"
  timezone: America/New_York
`

/** Seed 001 README §Multi-Schedule Support. */
export const SEED_MULTI_SCHEDULE_YAML = `name: multi-window-pipeline
archetype: batch-ingestion
schedules:
  - name: morning
    after: "06:00"
    deadline: "09:00"
    timezone: America/New_York
  - name: evening
    after: "18:00"
    deadline: "21:00"
    timezone: America/New_York
`

/** Seed 001 README §Calendar Exclusions, first block. */
export const SEED_WEEKDAY_ONLY_YAML = `name: weekday-only-pipeline
archetype: batch-ingestion
exclusions:
  days: [Saturday, Sunday]
  dates: ["2025-12-25", "2026-01-01"]
`

/** Seed 001 README §Calendar Exclusions, calendars/us-holidays.yaml. */
export const SEED_CALENDAR_YAML = `# calendars/us-holidays.yaml
name: us-holidays
dates: ["2025-12-25", "2026-01-01", "2026-07-04"]
`

/** Seed 001 README §Calendar Exclusions, pipeline config. */
export const SEED_CALENDAR_EXCLUSION_YAML = `# pipeline config
exclusions:
  calendar: us-holidays
`

/** Seed 001 README §Configuration, interlock.yaml. */
export const SEED_PROJECT_YAML = `provider: redis
redis:
  addr: localhost:6379
  keyPrefix: "interlock:"
server:
  addr: ":3000"
archetypeDirs:
  - ./archetypes
evaluatorDirs:
  - ./evaluators
pipelineDirs:
  - ./pipelines
alerts:
  - type: console
  - type: webhook
    url: http://localhost:8080/alerts
  - type: file
    path: ./alerts.log
`

/** Seed 001 README §Archetype Definition. */
export const SEED_ARCHETYPE_YAML = `name: batch-ingestion
requiredTraits:
  - type: source-freshness
    description: "Source data is recent enough"
    defaultConfig:
      maxLagSeconds: 300
    defaultTtl: 300        # seconds — Valkey EXPIRE
    defaultTimeout: 30     # seconds — kill evaluator after this
  - type: upstream-dependency
    description: "Upstream pipelines completed"
    defaultTtl: 600
    defaultTimeout: 60
optionalTraits:
  - type: schema-contract
readinessRule:
  type: all-required-pass
`

/** Seed 001 README §Pipeline Configuration. */
export const SEED_PIPELINE_YAML = `name: daily-sales-rollup
archetype: batch-ingestion
tier: 2

traits:
  source-freshness:
    evaluator: ./evaluators/check-sales-freshness
    config:
      source: sales_events
      maxLagSeconds: 60    # override archetype default
    ttl: 120
    timeout: 15

trigger:
  type: command
  command: "python scripts/run_pipeline.py"
`

/** Seed 001 README §Orchestrator Integration (one trigger: block per job type). */
export const SEED_TRIGGERS_YAML = `# Airflow (native trigger type)
trigger:
  type: airflow
  url: http://airflow:8080
  dagID: my_pipeline
  headers:
    Authorization: "Bearer \${AIRFLOW_TOKEN}"

# AWS Glue (native SDK trigger)
trigger:
  type: glue
  jobName: my-etl-job

# AWS EMR
trigger:
  type: emr
  clusterID: j-XXXXXXXXXXXXX
  arguments: ["spark-submit", "s3://bucket/job.py"]

# Databricks
trigger:
  type: databricks
  workspaceURL: https://workspace.databricks.com
  jobName: my-job
  headers:
    Authorization: "Bearer \${DATABRICKS_TOKEN}"

# HTTP (generic)
trigger:
  type: http
  method: POST
  url: https://my-service.com/run
  body: '{"pipeline": "daily-sales"}'

# Local command
trigger:
  type: command
  command: "python scripts/run_pipeline.py"
`
