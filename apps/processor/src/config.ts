import type { Cidr } from '@interlock/triggers'
import { DEFAULT_BREAKER_COOL_DOWN_MS, DEFAULT_BREAKER_THRESHOLD, parseAllowList } from '@interlock/triggers'

/** Everything the processor reads from its environment, read here and nowhere else. */
export interface ProcessorConfig {
  readonly databaseUrl: string
  readonly clock: { readonly mode: 'system' } | { readonly mode: 'simulated'; readonly start: number }
  readonly processorId: string
  /** SSRF allow-list for job and alert targets on private networks (T6); empty in production. */
  readonly allowPrivateTargets: ReadonlyArray<Cidr>
  /** The only PATH `command` jobs get. */
  readonly commandPath: string
  /**
   * The variables job configs may expand (T3): INTERLOCK_* but Interlock's own settings, and those the
   * operator allows in INTERLOCK_JOB_ENV.
   */
  readonly environment: Readonly<Record<string, string | undefined>>
  /** INTERLOCK_JOB_ENV: names beyond INTERLOCK_* job configs may read (seed 001's `${AIRFLOW_TOKEN}`). */
  readonly jobEnvironmentAllowed: ReadonlyArray<string>
  /** Every INTERLOCK_* variable, for the settings read elsewhere in the processor (alerts). */
  readonly settings: Readonly<Record<string, string | undefined>>
  readonly watchdogIntervalSeconds: number
  /** Per-host circuit breakers of outbound HTTP: consecutive failures that open one, and its cool-down. */
  readonly circuitBreaker: { readonly threshold: number; readonly coolDownMs: number }
}

/**
 * Interlock's own settings, kept out of the variables job configs may expand (T3): otherwise a pipeline
 * config could send `${INTERLOCK_ALERT_SLACK_TOKEN}` to a URL of its choosing.
 */
const OWN_SETTINGS =
  /^INTERLOCK_(ALERT_|API_|CLOCK|PROCESSOR_|ALLOW_PRIVATE_TARGETS$|WATCHDOG_|BREAKER_|LOCAL_POSTGRES$|TESTCONTAINERS$|BENCH_|LOG_LEVEL$|ADMIN_|DATABASE|JOB_ENV$)/

/**
 * The variables job configs may expand: the INTERLOCK_* ones but Interlock's own settings, and the
 * `allowed` names the operator lists (INTERLOCK_JOB_ENV).
 */
export function jobEnvironment(
  env: NodeJS.ProcessEnv,
  allowed: ReadonlyArray<string> = [],
): Readonly<Record<string, string | undefined>> {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => (name.startsWith('INTERLOCK_') && !OWN_SETTINGS.test(name)) || allowed.includes(name),
    ),
  )
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * INTERLOCK_JOB_ENV (`AIRFLOW_TOKEN,DATABRICKS_TOKEN`): the operator's allow-list beyond INTERLOCK_*.
 * Interlock's own secrets stay out of reach however it is written: INTERLOCK_ names already expand
 * unless they are Interlock's settings, and DATABASE_URL is the database every pipeline's log is in.
 */
function jobEnvironmentAllowList(env: NodeJS.ProcessEnv): ReadonlyArray<string> {
  const text = env.INTERLOCK_JOB_ENV ?? ''
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  for (const name of names) {
    if (!VARIABLE_NAME.test(name)) {
      throw new ProcessorConfigInvalid(
        `INTERLOCK_JOB_ENV has "${name}": expected environment variable names (letters, digits and underscores, not starting with a digit), comma-separated, such as AIRFLOW_TOKEN,DATABRICKS_TOKEN.`,
      )
    }
    if (name.startsWith('INTERLOCK_') || name === 'DATABASE_URL') {
      throw new ProcessorConfigInvalid(
        `INTERLOCK_JOB_ENV names ${name}: ${name === 'DATABASE_URL' ? "Interlock's own database URL" : "an INTERLOCK_ variable (those expand unlisted, except Interlock's own settings, which never do)"} cannot be given to job configs; remove it from the list.`,
      )
    }
  }
  return names
}

export class ProcessorConfigInvalid extends Error {
  override readonly name = 'ProcessorConfigInvalid'
}

const DEFAULT_WATCHDOG_SECONDS = 60
/** Where a simulated clock starts when INTERLOCK_CLOCK_START is not set: a fixed, reproducible instant. */
const DEFAULT_SIMULATED_START = '2026-01-05T00:00:00Z'

/**
 * Reads the processor's settings. `databaseUrl` comes from the caller (the resolver finds Postgres);
 * everything else from INTERLOCK_* variables, each checked with a message that names it.
 */
export function processorConfig(databaseUrl: string, env: NodeJS.ProcessEnv = process.env): ProcessorConfig {
  const mode = env.INTERLOCK_CLOCK ?? 'system'
  if (mode !== 'system' && mode !== 'simulated') {
    throw new ProcessorConfigInvalid(
      `INTERLOCK_CLOCK is "${mode}": expected "system" (default) or "simulated".`,
    )
  }
  const startText = env.INTERLOCK_CLOCK_START ?? DEFAULT_SIMULATED_START
  const start = Date.parse(startText)
  if (mode === 'simulated' && Number.isNaN(start)) {
    throw new ProcessorConfigInvalid(
      `INTERLOCK_CLOCK_START is "${startText}": expected an RFC 3339 instant such as ${DEFAULT_SIMULATED_START}.`,
    )
  }
  const allowList = parseAllowList(env.INTERLOCK_ALLOW_PRIVATE_TARGETS ?? '')
  if (allowList.invalid.length > 0) {
    throw new ProcessorConfigInvalid(
      `INTERLOCK_ALLOW_PRIVATE_TARGETS has entries that are not addresses or CIDR ranges: ${allowList.invalid.join(', ')}.`,
    )
  }
  const jobEnvironmentAllowed = jobEnvironmentAllowList(env)
  const watchdogText = env.INTERLOCK_WATCHDOG_INTERVAL_SECONDS ?? String(DEFAULT_WATCHDOG_SECONDS)
  const watchdogIntervalSeconds = Number(watchdogText)
  if (!Number.isInteger(watchdogIntervalSeconds) || watchdogIntervalSeconds < 1) {
    throw new ProcessorConfigInvalid(
      `INTERLOCK_WATCHDOG_INTERVAL_SECONDS is "${watchdogText}": expected a whole number of seconds ≥ 1.`,
    )
  }
  return {
    databaseUrl,
    circuitBreaker: {
      threshold: wholeNumberSetting(
        env,
        'INTERLOCK_BREAKER_THRESHOLD',
        DEFAULT_BREAKER_THRESHOLD,
        'failures',
      ),
      coolDownMs:
        wholeNumberSetting(
          env,
          'INTERLOCK_BREAKER_COOL_DOWN_SECONDS',
          DEFAULT_BREAKER_COOL_DOWN_MS / 1000,
          'seconds',
        ) * 1000,
    },
    clock: mode === 'simulated' ? { mode, start } : { mode },
    processorId: env.INTERLOCK_PROCESSOR_ID ?? `processor-${process.pid}`,
    allowPrivateTargets: allowList.ranges,
    commandPath: env.PATH ?? '/usr/bin:/bin',
    environment: jobEnvironment(env, jobEnvironmentAllowed),
    jobEnvironmentAllowed,
    settings: Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('INTERLOCK_'))),
    watchdogIntervalSeconds,
  }
}

/** A whole-number setting ≥ 1, or its default when unset; anything else stops the start with a message naming it. */
function wholeNumberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, unit: string): number {
  const text = env[name] ?? String(fallback)
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) {
    throw new ProcessorConfigInvalid(`${name} is "${text}": expected a whole number of ${unit} ≥ 1.`)
  }
  return value
}
