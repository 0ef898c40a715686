import { Agent, type buildConnector, type Dispatcher, interceptors, request } from 'undici'
import { makeGuardedConnector, type ResolveHost, TargetAddressRefused } from './guarded-connector.ts'
import { type CircuitBreakerOptions, type HostCircuit, HostCircuitBreakers } from './host-circuit-breakers.ts'
import type { Cidr } from './ip-address.ts'

/** Go's default for following redirects, which the original relies on (spec §5.3). */
const MAX_REDIRECTIONS = 10
const CONNECT_TIMEOUT_MS = 10_000
const KEEP_ALIVE_TIMEOUT_MS = 30_000
/** Trigger responses are small JSON documents; anything larger is cut here rather than held in memory. */
export const MAX_RESPONSE_BYTES = 1_048_576

/** Headers a redirect to another origin must not carry. */
const CROSS_ORIGIN_STRIPPED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key']

export interface OutboundRequest {
  readonly method: string
  readonly url: string
  /** Sent after `Content-Type: application/json`, replacing same-named headers (spec §5.3). */
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string
  /** Deadline of the whole exchange, connect to last body byte. */
  readonly timeoutMs: number
}

export interface OutboundResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  /** At most MAX_RESPONSE_BYTES of the body. */
  readonly body: Uint8Array
}

/**
 * The one way Interlock talks HTTP to the outside (job triggers, evaluators, alert webhooks, Slack): undici,
 * a deadline on every request, the SSRF guard on every connection, a circuit breaker per target host.
 */
export interface OutboundHttp {
  /** Throws CircuitOpen, without sending, while the target host's breaker is open. */
  readonly send: (request: OutboundRequest, signal?: AbortSignal) => Promise<OutboundResponse>
  /** The breaker of every host with a failure on record. */
  readonly circuits: () => ReadonlyArray<HostCircuit>
  readonly close: () => Promise<void>
}

export interface OutboundHttpOptions {
  /** Private ranges job targets may use anyway (`INTERLOCK_ALLOW_PRIVATE_TARGETS`, read by the app). */
  readonly allowPrivateTargets: ReadonlyArray<Cidr>
  readonly resolve?: ResolveHost
  /** Opens sockets to checked addresses; undici's connector unless a test routes it. */
  readonly connect?: buildConnector.connector
  /** Threshold and cool-down of the per-host circuit breakers (defaults: 5 failures, 60 s). */
  readonly circuitBreaker?: CircuitBreakerOptions
}

/** An invalid request, found before anything is sent: a config error. */
export class InvalidOutboundRequest extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidOutboundRequest'
  }
}

/** Builds the outbound HTTP client; one per process, closed at shutdown. */
export const makeOutboundHttp = (options: OutboundHttpOptions): OutboundHttp => {
  const agent = new Agent({
    connect: makeGuardedConnector({
      allowPrivateTargets: options.allowPrivateTargets,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
      ...(options.connect === undefined ? {} : { connect: options.connect }),
    }),
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  })
  const dispatcher: Dispatcher = agent.compose(
    interceptors.redirect({
      maxRedirections: MAX_REDIRECTIONS,
      stripHeadersOnCrossOriginRedirect: CROSS_ORIGIN_STRIPPED_HEADERS,
    }),
  )
  const breakers = new HostCircuitBreakers(options.circuitBreaker)
  return {
    send: (outbound, signal) => sendThroughBreaker(breakers, dispatcher, outbound, signal),
    circuits: () => breakers.states(),
    close: () => agent.close(),
  }
}

/** Statuses that say the host is unwell rather than that the request was wrong. */
const isOutageStatus = (status: number): boolean => status >= 500 || status === 429

const sendThroughBreaker = async (
  breakers: HostCircuitBreakers,
  dispatcher: Dispatcher,
  outbound: OutboundRequest,
  signal: AbortSignal | undefined,
): Promise<OutboundResponse> => {
  const url = checkedUrl(outbound)
  breakers.admit(url.host)
  let response: OutboundResponse
  try {
    response = await send(dispatcher, url, outbound, signal)
  } catch (error) {
    // A refused address is a config error and a cancelled call no verdict: neither says the host is down.
    const refused = error instanceof TargetAddressRefused || signal?.aborted === true
    if (refused) breakers.released(url.host)
    else breakers.failed(url.host)
    throw error
  }
  if (isOutageStatus(response.status)) breakers.failed(url.host)
  else breakers.succeeded(url.host)
  return response
}

const checkedUrl = (outbound: OutboundRequest): URL => {
  if (!URL.canParse(outbound.url)) {
    throw new InvalidOutboundRequest(`creating request: ${JSON.stringify(outbound.url)} is not a valid URL`)
  }
  const url = new URL(outbound.url)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOutboundRequest(
      `creating request: ${url.protocol} URLs are not supported, use http or https`,
    )
  }
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(outbound.method)) {
    throw new InvalidOutboundRequest(`creating request: invalid method ${JSON.stringify(outbound.method)}`)
  }
  return url
}

const send = async (
  dispatcher: Dispatcher,
  url: URL,
  outbound: OutboundRequest,
  signal: AbortSignal | undefined,
): Promise<OutboundResponse> => {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  for (const [name, value] of Object.entries(outbound.headers)) headers[name.toLowerCase()] = value
  const deadline = AbortSignal.timeout(outbound.timeoutMs)
  const response = await request(url, {
    dispatcher,
    method: outbound.method as Dispatcher.HttpMethod,
    headers,
    body: outbound.body ?? null,
    signal: signal === undefined ? deadline : AbortSignal.any([deadline, signal]),
    headersTimeout: outbound.timeoutMs,
    bodyTimeout: outbound.timeoutMs,
  })
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body) {
    const bytes = chunk as Uint8Array
    chunks.push(bytes.subarray(0, MAX_RESPONSE_BYTES - size))
    size += bytes.length
    if (size >= MAX_RESPONSE_BYTES) {
      response.body.destroy()
      break
    }
  }
  return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }
}
