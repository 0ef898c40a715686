/** A daily pipeline on sensors (the shape of seed 000's orders pipeline), named as STYLE rule 35 asks. */
export const ORDERS_DAILY = `
pipeline:
  id: orders-daily
  owner: data-platform
schedule:
  timezone: UTC
  trigger: { key: orders-landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: 1h, interval: 5m }
validation:
  trigger: ALL
  rules:
    - { key: orders-landed, check: equals, field: status, value: COMPLETE }
    - { key: orders-count, check: gte, field: count, value: 1000 }
job:
  type: command
  config: { command: "echo done" }
`

/** An hourly pipeline, for periods with an hour. */
export const CLICKSTREAM_HOURLY = `
pipeline:
  id: clickstream-hourly
schedule:
  timezone: UTC
  trigger: { key: clicks-landed, check: exists }
  evaluation: { window: 30m, interval: 1m }
validation:
  trigger: ALL
  rules:
    - { key: clicks-landed, check: exists }
job:
  type: command
  config: { command: "echo done" }
`

/** Three problems at once: two unknown keys with a near miss, and a bad duration. */
export const INVALID_CONFIG = `
pipeline:
  id: broken-daily
  ownr: data-platform
schedule:
  timezone: UTC
  evaluation: { window: 1h, interval: soon }
validation:
  trigger: ALL
  rules:
    - { key: a, check: exists }
job:
  type: command
  config: { command: "echo" }
  max_retries: 3
`
