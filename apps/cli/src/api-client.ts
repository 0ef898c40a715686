import { CommandFailed } from './cli-error.ts'

/** One problem a 4xx answer names (`application/problem+json`). */
interface ProblemItem {
  readonly in?: string
  readonly path?: string
  readonly message?: string
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The message of a refused request: status, detail, and every field at fault. */
export const problemText = (status: number, body: unknown): string => {
  if (!isRecord(body))
    return `the API answered ${status}${typeof body === 'string' && body !== '' ? `: ${body}` : ''}`
  const detail =
    typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : ''
  const items = Array.isArray(body.errors) ? (body.errors as ReadonlyArray<ProblemItem>) : []
  const lines = items.map(
    (item) =>
      `  - ${item.in ?? 'body'} ${item.path === '' || item.path === undefined ? '(whole)' : item.path}: ${item.message ?? ''}`,
  )
  return [`the API answered ${status}: ${detail}`, ...lines].join('\n')
}

/** A small HTTP client for the Interlock API: bearer token, JSON in and out, problems as CommandFailed. */
export class ApiClient {
  readonly baseUrl: string
  private readonly token: string | undefined

  constructor(baseUrl: string, token: string | undefined) {
    this.baseUrl = baseUrl.replace(/\/+$/, '')
    this.token = token
  }

  /** Sends a request; answers the parsed body of a 2xx, throws CommandFailed otherwise. */
  async request(
    method: string,
    path: string,
    options: { readonly json?: unknown; readonly text?: string; readonly contentType?: string } = {},
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`
    let body: string | undefined
    if (options.json !== undefined) {
      body = JSON.stringify(options.json)
      headers['content-type'] = 'application/json'
    } else if (options.text !== undefined) {
      body = options.text
      headers['content-type'] = options.contentType ?? 'text/plain'
    }
    let response: Response
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      })
    } catch (error) {
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)
      throw new CommandFailed({
        problem: `cannot reach the Interlock API at ${this.baseUrl} (${cause}); start it with \`npm start\` or pass --url / INTERLOCK_URL`,
      })
    }
    const text = await response.text()
    const type = response.headers.get('content-type') ?? ''
    const parsed: unknown = type.includes('json') && text !== '' ? JSON.parse(text) : text
    if (response.status === 401) {
      throw new CommandFailed({
        problem: `the API at ${this.baseUrl} refused the token (401); pass --token / INTERLOCK_TOKEN, or create one with \`interlock token create\``,
      })
    }
    if (response.status >= 300) throw new CommandFailed({ problem: problemText(response.status, parsed) })
    return parsed
  }

  get(path: string): Promise<unknown> {
    return this.request('GET', path)
  }

  /** Every item of a paged listing (`{items, nextCursor}`), following cursors up to `max` items. */
  async list(path: string, max = 10_000): Promise<ReadonlyArray<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = []
    let cursor: string | null = null
    do {
      const separator = path.includes('?') ? '&' : '?'
      const page = await this.get(
        `${path}${separator}limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      )
      if (!isRecord(page) || !Array.isArray(page.items)) break
      items.push(...(page.items as ReadonlyArray<Record<string, unknown>>))
      cursor = typeof page.nextCursor === 'string' ? page.nextCursor : null
    } while (cursor !== null && items.length < max)
    return items.slice(0, max)
  }
}
