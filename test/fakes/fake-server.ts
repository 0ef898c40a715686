import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One request as a fake service received it. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** What a fake answers: a status, headers and a body (objects are sent as JSON). */
export interface FakeResponse {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
}

/** Never answer: the request hangs until the client gives up or the fake is closed. */
export const HANG = Symbol('hang')
export type FakeAnswer = FakeResponse | typeof HANG

export type FakeHandler = (request: RecordedRequest) => FakeAnswer | Promise<FakeAnswer>

/** A real HTTP server on 127.0.0.1 (an ephemeral port) that records every request it receives. */
export interface FakeServer {
  readonly url: string
  readonly requests: ReadonlyArray<RecordedRequest>
  readonly close: () => Promise<void>
}

const write = (response: ServerResponse, answer: FakeResponse) => {
  const isText = typeof answer.body === 'string' || answer.body instanceof Uint8Array
  const body =
    answer.body === undefined
      ? ''
      : isText
        ? (answer.body as string | Uint8Array)
        : JSON.stringify(answer.body)
  response.writeHead(answer.status, {
    ...(isText || answer.body === undefined ? {} : { 'content-type': 'application/json' }),
    ...answer.headers,
  })
  response.end(body)
}

/** Starts a fake service answering every request with `handler`. */
export const startFakeServer = async (handler: FakeHandler): Promise<FakeServer> => {
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://fake')
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(request)
      Promise.resolve()
        .then(() => handler(request))
        .then(
          (answer) => {
            if (answer !== HANG) write(response, answer)
          },
          (error: unknown) => write(response, { status: 500, body: `fake failed: ${String(error)}` }),
        )
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Parses a recorded JSON body (the fakes' own requests are JSON). */
export const jsonBody = (request: RecordedRequest): unknown =>
  request.body === '' ? undefined : JSON.parse(request.body)
