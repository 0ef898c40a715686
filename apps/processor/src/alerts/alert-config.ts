import { ProcessorConfigInvalid } from '../config.ts'
import { type AlertRoute, EVERY_ALERT, parseAlertRoute } from './alert-route.ts'

export type SinkName = 'console' | 'file' | 'webhook' | 'slack'

/** One configured sink and the alerts routed to it. */
export type AlertSinkConfig =
  | { readonly sink: 'console'; readonly route: AlertRoute }
  | { readonly sink: 'file'; readonly route: AlertRoute; readonly path: string }
  | {
      readonly sink: 'webhook'
      readonly route: AlertRoute
      readonly url: string
      /** Sent as the Authorization header; a secret, never logged. */
      readonly authorization: string | undefined
    }
  | {
      readonly sink: 'slack'
      readonly route: AlertRoute
      /** The bot token (`xoxb-…`); a secret, never logged. */
      readonly token: string
      readonly channel: string
      /** The Web API base, `https://slack.com/api` unless a test or proxy says otherwise. */
      readonly apiUrl: string
    }

/** How often and how patiently a failed delivery is tried again before it is dead-lettered. */
export interface RetryPolicy {
  /** Delivery attempts per alert and sink, the first included. */
  readonly maxAttempts: number
  /** The wait after the first failure; it doubles with each further failure. */
  readonly baseDelayMs: number
  /** No wait is longer, a Slack `Retry-After` included. */
  readonly maxDelayMs: number
}

export interface AlertConfig {
  readonly sinks: ReadonlyArray<AlertSinkConfig>
  readonly retry: RetryPolicy
  /** Deadline of one delivery (an HTTP call to Slack or a webhook, connect to last byte). */
  readonly timeoutMs: number
}

export const SLACK_API_URL = 'https://slack.com/api'
const DEFAULT_MAX_ATTEMPTS = 5
const DEFAULT_RETRY_BASE_MS = 5_000
const FIVE_MINUTES_MS = 300_000
/** The original's Slack client timeout (lifecycle §9.4 step 7). */
const TEN_SECONDS_MS = 10_000

const PREFIX = 'INTERLOCK_ALERT_'
const VARIABLES = [
  'CONSOLE_ROUTE',
  'FILE_PATH',
  'FILE_ROUTE',
  'WEBHOOK_URL',
  'WEBHOOK_AUTHORIZATION',
  'WEBHOOK_ROUTE',
  'SLACK_TOKEN',
  'SLACK_CHANNEL',
  'SLACK_ROUTE',
  'SLACK_API_URL',
  'MAX_ATTEMPTS',
  'RETRY_BASE_MS',
  'RETRY_MAX_MS',
  'TIMEOUT_MS',
].map((name) => `${PREFIX}${name}`)

/**
 * Reads the alert sinks, their routes and the retry policy from `INTERLOCK_ALERT_*` variables (the
 * processor's `config.settings`). Each sink is on when its target is set; the console receives every
 * alert when no other sink is configured (the original's log-only mode, lifecycle §9.4 step 2). Every
 * problem is an error naming the variable; secrets are never repeated in a message.
 */
export function alertConfig(env: Readonly<Record<string, string | undefined>>): AlertConfig {
  for (const name of Object.keys(env)) {
    if (name.startsWith(PREFIX) && !VARIABLES.includes(name)) {
      throw new ProcessorConfigInvalid(
        `${name} is not an alert setting; the alert settings are ${VARIABLES.join(', ')}.`,
      )
    }
  }
  const route = (sink: string): AlertRoute => {
    const variable = `${PREFIX}${sink}_ROUTE`
    const value = env[variable]
    return value === undefined ? EVERY_ALERT : parseAlertRoute(variable, value)
  }
  const unused = (variable: string, needs: string) => {
    if (env[`${PREFIX}${variable}`] !== undefined) {
      throw new ProcessorConfigInvalid(`${PREFIX}${variable} is set, but ${needs}.`)
    }
  }
  const sinks: Array<AlertSinkConfig> = []

  const path = env[`${PREFIX}FILE_PATH`]
  if (path === undefined) unused('FILE_ROUTE', `no file is configured; set ${PREFIX}FILE_PATH`)
  else if (path.trim() === '')
    throw new ProcessorConfigInvalid(`${PREFIX}FILE_PATH is empty: name the NDJSON file to append alerts to.`)
  else sinks.push({ sink: 'file', route: route('FILE'), path })

  const url = env[`${PREFIX}WEBHOOK_URL`]
  if (url === undefined) {
    unused('WEBHOOK_ROUTE', `no webhook is configured; set ${PREFIX}WEBHOOK_URL`)
    unused('WEBHOOK_AUTHORIZATION', `no webhook is configured; set ${PREFIX}WEBHOOK_URL`)
  } else {
    if (!isHttpUrl(url)) {
      // The URL is not repeated: webhook URLs often carry a secret in their path.
      throw new ProcessorConfigInvalid(`${PREFIX}WEBHOOK_URL is not an http or https URL.`)
    }
    sinks.push({
      sink: 'webhook',
      route: route('WEBHOOK'),
      url,
      authorization: env[`${PREFIX}WEBHOOK_AUTHORIZATION`],
    })
  }

  const token = env[`${PREFIX}SLACK_TOKEN`]
  const channel = env[`${PREFIX}SLACK_CHANNEL`]
  if (token === undefined && channel === undefined) {
    unused('SLACK_ROUTE', `Slack is not configured; set ${PREFIX}SLACK_TOKEN and ${PREFIX}SLACK_CHANNEL`)
    unused('SLACK_API_URL', `Slack is not configured; set ${PREFIX}SLACK_TOKEN and ${PREFIX}SLACK_CHANNEL`)
  } else {
    if (token === undefined || token.trim() === '') {
      throw new ProcessorConfigInvalid(
        `${PREFIX}SLACK_CHANNEL is set but ${PREFIX}SLACK_TOKEN is not: give the bot token (xoxb-…) that posts to it.`,
      )
    }
    if (channel === undefined || channel.trim() === '') {
      throw new ProcessorConfigInvalid(
        `${PREFIX}SLACK_TOKEN is set but ${PREFIX}SLACK_CHANNEL is not: name the channel (an id such as C0123ABCD, or #alerts).`,
      )
    }
    const apiUrl = env[`${PREFIX}SLACK_API_URL`] ?? SLACK_API_URL
    if (!isHttpUrl(apiUrl)) {
      throw new ProcessorConfigInvalid(
        `${PREFIX}SLACK_API_URL is "${apiUrl}": expected an http or https URL such as ${SLACK_API_URL}.`,
      )
    }
    sinks.push({ sink: 'slack', route: route('SLACK'), token, channel, apiUrl: apiUrl.replace(/\/+$/, '') })
  }

  const consoleRoute = env[`${PREFIX}CONSOLE_ROUTE`]
  if (consoleRoute !== undefined) {
    sinks.unshift({ sink: 'console', route: parseAlertRoute(`${PREFIX}CONSOLE_ROUTE`, consoleRoute) })
  } else if (sinks.length === 0) {
    sinks.push({ sink: 'console', route: EVERY_ALERT })
  }

  const maxAttempts = wholeNumber(env, 'MAX_ATTEMPTS', DEFAULT_MAX_ATTEMPTS, 1)
  const baseDelayMs = wholeNumber(env, 'RETRY_BASE_MS', DEFAULT_RETRY_BASE_MS, 0)
  const maxDelayMs = wholeNumber(env, 'RETRY_MAX_MS', Math.max(FIVE_MINUTES_MS, baseDelayMs), 0)
  if (maxDelayMs < baseDelayMs) {
    throw new ProcessorConfigInvalid(
      `${PREFIX}RETRY_MAX_MS is ${maxDelayMs}, below ${PREFIX}RETRY_BASE_MS ${baseDelayMs}: the longest wait cannot be shorter than the first.`,
    )
  }
  return {
    sinks: sinks.filter((sink) => !isSilent(sink.route)),
    retry: { maxAttempts, baseDelayMs, maxDelayMs },
    timeoutMs: wholeNumber(env, 'TIMEOUT_MS', TEN_SECONDS_MS, 1),
  }
}

const isSilent = (route: AlertRoute): boolean =>
  !route.all && route.severities.size === 0 && route.types.size === 0

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false
  const protocol = new URL(text).protocol
  return protocol === 'http:' || protocol === 'https:'
}

function wholeNumber(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  minimum: number,
): number {
  const text = env[`${PREFIX}${name}`]
  if (text === undefined) return fallback
  const value = Number(text)
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < minimum) {
    throw new ProcessorConfigInvalid(`${PREFIX}${name} is "${text}": expected a whole number ≥ ${minimum}.`)
  }
  return value
}
