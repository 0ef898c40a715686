import {
  type FakeAnswer,
  type FakeServer,
  HANG,
  type RecordedRequest,
  startFakeServer,
} from './fake-server.ts'

/** A POST the receiver accepted (answered 2xx). */
export interface ReceivedWebhook {
  readonly path: string
  readonly headers: RecordedRequest['headers']
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  readonly body: unknown
}

/** How a call fails instead of being accepted: an HTTP status, or no answer at all. */
export type WebhookFault = number | 'hang'

export interface WebhookReceiver extends FakeServer {
  /** Accepted POSTs, in order (failed calls are only in `requests`). */
  readonly received: ReadonlyArray<ReceivedWebhook>
  /** The next calls fail with these statuses (or hang), in order, then the receiver accepts again. */
  readonly failNext: (...faults: ReadonlyArray<WebhookFault>) => void
  /** Every later call fails this way, until `recover`. */
  readonly failAlways: (fault: WebhookFault) => void
  readonly recover: () => void
}

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body)
  } catch {
    return body
  }
}

/**
 * A generic webhook endpoint: accepts POSTs on any path with 204, records them, and fails on demand
 * with any status (a 500 outage, a 4xx refusal) or by never answering.
 */
export const startWebhookReceiver = async (): Promise<WebhookReceiver> => {
  const received: ReceivedWebhook[] = []
  let queued: WebhookFault[] = []
  let always: WebhookFault | undefined
  const server = await startFakeServer((request): FakeAnswer => {
    if (request.method !== 'POST') return { status: 405, body: 'only POST is accepted' }
    const fault = queued.shift() ?? always
    if (fault === 'hang') return HANG
    if (fault !== undefined) return { status: fault, body: `receiver failing with ${fault}` }
    received.push({ path: request.path, headers: request.headers, body: parse(request.body) })
    return { status: 204 }
  })
  return {
    ...server,
    received,
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
