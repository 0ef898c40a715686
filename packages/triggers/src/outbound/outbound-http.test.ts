import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { buildConnector } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAllowList } from './address-policy.ts'
import { TargetAddressRefused } from './guarded-connector.ts'
import { makeOutboundHttp, type OutboundHttpOptions } from './outbound-http.ts'

let server: Server
let port: number
const seen: Array<{ method: string; url: string; headers: Record<string, unknown> }> = []

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers })
    if (request.url === '/redirect-inside') {
      response.writeHead(302, { location: `http://inside.test:${port}/ok` }).end()
      return
    }
    if (request.url === '/redirect') {
      response.writeHead(302, { location: '/ok' }).end()
      return
    }
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '::', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const allowAll = parseAllowList('0.0.0.0/0, ::/0').ranges
const resolveTo =
  (address: string): NonNullable<OutboundHttpOptions['resolve']> =>
  async () => [{ address }]

/** Routes every checked connection to the local server, recording the address the guard chose. */
const routedToLocalServer = (chosen: string[]): buildConnector.connector => {
  const connect = buildConnector({ timeout: 1000 })
  return (options, callback) => {
    chosen.push(options.hostname)
    connect({ ...options, hostname: '127.0.0.1' }, callback)
  }
}

const get = (options: OutboundHttpOptions, url: string) => {
  const http = makeOutboundHttp(options)
  return http.send({ method: 'GET', url, headers: {}, timeoutMs: 2000 }).finally(() => http.close())
}

describe('outbound HTTP, SSRF guard', () => {
  it('refuses loopback without the allow-list and connects with it', async () => {
    await expect(get({ allowPrivateTargets: [] }, `http://127.0.0.1:${port}/ok`)).rejects.toThrow(
      new TargetAddressRefused('127.0.0.1', '127.0.0.1', 'loopback'),
    )
    const allowed = await get(
      { allowPrivateTargets: parseAllowList('127.0.0.0/8').ranges },
      `http://127.0.0.1:${port}/ok`,
    )
    expect(allowed.status).toBe(200)
  })

  it('refuses a DNS name resolving to 127.0.0.1 and names both in the message', async () => {
    const options = { allowPrivateTargets: [], resolve: resolveTo('127.0.0.1') }
    await expect(get(options, `http://jobs.internal.test:${port}/ok`)).rejects.toThrow(
      'ssrf: connection to jobs.internal.test (127.0.0.1) blocked (loopback address); a job may only reach such an ' +
        'address when its range is listed in INTERLOCK_ALLOW_PRIVATE_TARGETS',
    )
    const allowed = await get(
      { allowPrivateTargets: parseAllowList('127.0.0.1').ranges, resolve: resolveTo('127.0.0.1') },
      `http://jobs.internal.test:${port}/ok`,
    )
    expect(allowed.status).toBe(200)
  })

  it('refuses localhost through the system resolver', async () => {
    await expect(get({ allowPrivateTargets: [] }, `http://localhost:${port}/ok`)).rejects.toBeInstanceOf(
      TargetAddressRefused,
    )
  })

  it('refuses ::1 and an IPv4-mapped loopback literal, and connects to them when allow-listed', async () => {
    for (const host of ['[::1]', '[::ffff:127.0.0.1]']) {
      await expect(get({ allowPrivateTargets: [] }, `http://${host}:${port}/ok`)).rejects.toBeInstanceOf(
        TargetAddressRefused,
      )
      const allowed = await get({ allowPrivateTargets: allowAll }, `http://${host}:${port}/ok`)
      expect(allowed.status).toBe(200)
    }
  })

  it.each([
    ['10.1.2.3', '10.0.0.0/8'],
    ['172.16.0.1', '172.16.0.0/12'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['100.64.0.1', '100.64.0.0/10'],
    ['fd00::1', 'fc00::/7'],
    ['::ffff:10.0.0.1', '10.0.0.0/8'],
  ])(
    'refuses a name resolving to %s without the allow-list and connects to it with %s',
    async (address, range) => {
      const refusedChoices: string[] = []
      await expect(
        get(
          {
            allowPrivateTargets: [],
            resolve: resolveTo(address),
            connect: routedToLocalServer(refusedChoices),
          },
          `http://job-target.test:${port}/ok`,
        ),
      ).rejects.toBeInstanceOf(TargetAddressRefused)
      expect(refusedChoices).toEqual([])
      const chosen: string[] = []
      const allowed = await get(
        {
          allowPrivateTargets: parseAllowList(range).ranges,
          resolve: resolveTo(address),
          connect: routedToLocalServer(chosen),
        },
        `http://job-target.test:${port}/ok`,
      )
      expect(allowed.status).toBe(200)
      expect(chosen).toEqual([address])
    },
  )

  it.each(['8.8.8.8', '52.94.76.1', '2607:f8b0:4004:800::200e'])(
    'lets a name resolving to the public address %s through without any allow-list',
    async (address) => {
      const chosen: string[] = []
      const allowed = await get(
        { allowPrivateTargets: [], resolve: resolveTo(address), connect: routedToLocalServer(chosen) },
        `http://public.test:${port}/ok`,
      )
      expect(allowed.status).toBe(200)
      expect(chosen).toEqual([address])
    },
  )

  it('refuses a name when any of its addresses is private', async () => {
    const resolve = async () => [{ address: '8.8.8.8' }, { address: '10.0.0.1' }]
    await expect(get({ allowPrivateTargets: [], resolve }, `http://mixed.test:${port}/ok`)).rejects.toThrow(
      'ssrf: connection to mixed.test (10.0.0.1) blocked (private address)',
    )
  })

  it('refuses a redirect from a public host to a private address', async () => {
    const chosen: string[] = []
    const http = makeOutboundHttp({
      allowPrivateTargets: [],
      resolve: async (hostname) => [{ address: hostname === 'public.test' ? '8.8.8.8' : '127.0.0.1' }],
      connect: routedToLocalServer(chosen),
    })
    const redirected = http.send({
      method: 'GET',
      url: `http://public.test:${port}/redirect-inside`,
      headers: {},
      timeoutMs: 2000,
    })
    await expect(redirected).rejects.toThrow(
      `ssrf: connection to inside.test (127.0.0.1) blocked (loopback address)`,
    )
    await http.close()
    expect(chosen).toEqual(['8.8.8.8'])
  })

  it('checks the target of a redirect too', async () => {
    const chosen: string[] = []
    const http = makeOutboundHttp({ allowPrivateTargets: allowAll, connect: routedToLocalServer(chosen) })
    const response = await http.send({
      method: 'GET',
      url: `http://127.0.0.1:${port}/redirect`,
      headers: {},
      timeoutMs: 2000,
    })
    await http.close()
    expect(response.status).toBe(200)
    expect(chosen).toEqual(['127.0.0.1', '127.0.0.1'])
  })
})

describe('outbound HTTP, requests', () => {
  it('sends Content-Type application/json first and lets configured headers replace it', async () => {
    const http = makeOutboundHttp({ allowPrivateTargets: allowAll })
    seen.length = 0
    await http.send({
      method: 'POST',
      url: `http://127.0.0.1:${port}/ok`,
      headers: { 'X-Api-Key': 'k', 'Content-Type': 'text/plain' },
      body: 'x',
      timeoutMs: 2000,
    })
    await http.send({ method: 'GET', url: `http://127.0.0.1:${port}/ok`, headers: {}, timeoutMs: 2000 })
    await http.close()
    expect(seen.map((request) => request.headers['content-type'])).toEqual(['text/plain', 'application/json'])
    expect(seen[0]?.headers['x-api-key']).toBe('k')
  })

  it('rejects an invalid URL or scheme before sending anything', async () => {
    const http = makeOutboundHttp({ allowPrivateTargets: allowAll })
    await expect(http.send({ method: 'GET', url: 'not a url', headers: {}, timeoutMs: 10 })).rejects.toThrow(
      'creating request: "not a url" is not a valid URL',
    )
    await expect(
      http.send({ method: 'GET', url: 'file:///etc/passwd', headers: {}, timeoutMs: 10 }),
    ).rejects.toThrow('creating request: file: URLs are not supported, use http or https')
    await http.close()
  })
})
