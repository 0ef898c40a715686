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
  /** The INTERLOCK_* variables job configs may expand (T3): Interlock's own settings left out. */
  readonly environment: Readonly<Record<string, string | undefined>>
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
  /^INTERLOCK_(ALERT_|API_|CLOCK|PROCESSOR_|ALLOW_PRIVATE_TARGETS$|WATCHDOG_|BREAKER_|LOCAL_POSTGRES$|TESTCONTAINERS$|BENCH_|LOG_LEVEL$|ADMIN_|DATABASE)/

/** The INTERLOCK_* variables job configs may expand: everything but Interlock's own settings. */
export function jobEnvironment(env: NodeJS.ProcessEnv): Readonly<Record<string, string | undefined>> {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => name.startsWith('INTERLOCK_') && !OWN_SETTINGS.test(name)),
  )
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
    environment: jobEnvironment(env),
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
