import {
  type FakeAnswer,
  type FakeServer,
  HANG,
  type RecordedRequest,
  startFakeServer,
} from './fake-server.ts'

/** A message the fake Slack accepted through `chat.postMessage`. */
export interface SlackMessage {
  readonly channel: string
  /** The `text` field (Slack's fallback text), when sent. */
  readonly text: string | undefined
  /** The `blocks` array as sent (form bodies carry it as a JSON string; it is parsed back). */
  readonly blocks: unknown
  /** The thread this message replied in, or undefined for a top-level message. */
  readonly threadTs: string | undefined
  /** The ts Slack gave this message (the thread id of any replies to it). */
  readonly ts: string
  /** The mrkdwn text of the first section block, else `text`: what a person reads. */
  readonly rendered: string
  readonly body: 'json' | 'form'
}

/** How the next call of `chat.postMessage` misbehaves instead of posting. */
export type SlackFault =
  | { readonly _tag: 'Status'; readonly status: number }
  | { readonly _tag: 'RateLimited'; readonly retryAfterSeconds: number }
  | { readonly _tag: 'ApiError'; readonly error: string }
  | { readonly _tag: 'Hang' }

/** An HTTP error status (500, 503, …) with a plain-text body, as Slack's edge answers during an outage. */
export const slackStatus = (status: number): SlackFault => ({ _tag: 'Status', status })
/** HTTP 429 with `Retry-After` and `{ok:false, error:"ratelimited"}`. */
export const slackRateLimited = (retryAfterSeconds: number): SlackFault => ({
  _tag: 'RateLimited',
  retryAfterSeconds,
})
/** HTTP 200 with `{ok:false, error}`: Slack's way of refusing a call (`invalid_auth`, `channel_not_found`). */
export const slackApiError = (error: string): SlackFault => ({ _tag: 'ApiError', error })
export const slackHang: SlackFault = { _tag: 'Hang' }

export interface FakeSlack extends FakeServer {
  /** The Web API base URL, `<url>/api`, as a client configures it instead of `https://slack.com/api`. */
  readonly apiUrl: string
  /** The bot token requests must present. */
  readonly token: string
  /** Messages posted, in order. */
  readonly messages: ReadonlyArray<SlackMessage>
  /** Queues faults for the next calls, in order. */
  readonly failNext: (...faults: ReadonlyArray<SlackFault>) => void
  /** Every later call fails this way, until `recover`. */
  readonly failAlways: (fault: SlackFault) => void
  /** Forgets queued and permanent faults. */
  readonly recover: () => void
}

export interface FakeSlackOptions {
  readonly token?: string
  /** The channel id answered for a channel given by name (`#alerts`); ids (`C…`) are answered as given. */
  readonly channelIds?: Readonly<Record<string, string>>
}

const POST_MESSAGE = '/api/chat.postMessage'
/** The fake's clock for message ts values: a fixed epoch second, then a counter, so ts values are unique. */
const TS_EPOCH_SECONDS = 1_767_571_200

const apiError = (error: string): FakeAnswer => ({ status: 200, body: { ok: false, error } })

/** Reads a JSON or form-encoded body into fields; undefined when it is neither. */
const fieldsOf = (request: RecordedRequest): Record<string, unknown> | undefined => {
  const contentType = String(request.headers['content-type'] ?? '')
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = JSON.parse(request.body)
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : undefined
    } catch {
      return undefined
    }
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(request.body)
    const fields: Record<string, unknown> = Object.fromEntries(form)
    if (typeof fields.blocks === 'string') {
      try {
        fields.blocks = JSON.parse(fields.blocks)
      } catch {
        return { ...fields, blocks: null }
      }
    }
    return fields
  }
  return undefined
}

const firstSectionText = (blocks: unknown): string | undefined => {
  if (!Array.isArray(blocks)) return undefined
  const section = blocks[0] as { type?: unknown; text?: { text?: unknown } } | undefined
  return section?.type === 'section' && typeof section.text?.text === 'string' ? section.text.text : undefined
}

/**
 * A fake Slack Web API speaking enough of `POST /api/chat.postMessage` for an alert dispatcher: a bot
 * token as `Authorization: Bearer` (or a `token` form field), JSON or form bodies, `{ok, ts, channel}`
 * answers, `thread_ts` replies checked against the channel's messages, and scriptable outages.
 */
export const startFakeSlack = async (options: FakeSlackOptions = {}): Promise<FakeSlack> => {
  const token = options.token ?? 'xoxb-fake-bot-token'
  const messages: SlackMessage[] = []
  let queued: SlackFault[] = []
  let always: SlackFault | undefined
  let counter = 0

  const answerFault = (fault: SlackFault): FakeAnswer => {
    switch (fault._tag) {
      case 'Hang':
        return HANG
      case 'Status':
        return { status: fault.status, body: `upstream error ${fault.status}` }
      case 'RateLimited':
        return {
          status: 429,
          headers: { 'retry-after': String(fault.retryAfterSeconds) },
          body: { ok: false, error: 'ratelimited' },
        }
      case 'ApiError':
        return apiError(fault.error)
    }
  }

  const server = await startFakeServer((request): FakeAnswer => {
    if (request.path !== POST_MESSAGE) return { status: 404, body: { ok: false, error: 'unknown_method' } }
    if (request.method !== 'POST') return apiError('invalid_request')
    const fault = queued.shift() ?? always
    if (fault !== undefined) return answerFault(fault)
    const fields = fieldsOf(request)
    if (fields === undefined) return apiError('invalid_form_data')
    const authorization = request.headers.authorization
    const presented =
      typeof authorization === 'string' && authorization.startsWith('Bearer ')
        ? authorization.slice('Bearer '.length)
        : typeof fields.token === 'string'
          ? fields.token
          : undefined
    if (presented === undefined) return apiError('not_authed')
    if (presented !== token) return apiError('invalid_auth')
    const channelName = fields.channel
    if (typeof channelName !== 'string' || channelName === '') return apiError('channel_not_found')
    const channel = options.channelIds?.[channelName] ?? channelName
    const text = typeof fields.text === 'string' ? fields.text : undefined
    const rendered = firstSectionText(fields.blocks) ?? text
    if (rendered === undefined || rendered === '') return apiError('no_text')
    const threadTs = typeof fields.thread_ts === 'string' ? fields.thread_ts : undefined
    if (threadTs !== undefined && !messages.some((m) => m.channel === channel && m.ts === threadTs)) {
      return apiError('thread_not_found')
    }
    counter++
    const ts = `${TS_EPOCH_SECONDS}.${String(counter).padStart(6, '0')}`
    messages.push({
      channel,
      text,
      blocks: fields.blocks,
      threadTs,
      ts,
      rendered,
      body: String(request.headers['content-type']).startsWith('application/json') ? 'json' : 'form',
    })
    return {
      status: 200,
      body: {
        ok: true,
        channel,
        ts,
        message: { type: 'message', text: text ?? '', ts, ...(threadTs ? { thread_ts: threadTs } : {}) },
      },
    }
  })

  return {
    ...server,
    apiUrl: `${server.url}/api`,
    token,
    messages,
    failNext: (...faults) => {
      queued = [...queued, ...faults]
    },
    failAlways: (fault) => {
      always = fault
    },
    recover: () => {
      queued = []
      always = undefined
    },
  }
}
