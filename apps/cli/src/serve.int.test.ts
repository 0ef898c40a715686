import { type ChildProcess, spawn } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from './paths.ts'

/**
 * `interlock serve` as `npm start` runs it on a bare machine: no DATABASE_URL, the local Postgres port
 * closed (so the resolver starts an embedded Postgres in a folder of its own), any free API port.
 */
let child: ChildProcess
let folder: string
let url: string
let token: string
let stdout = ''
let stderr = ''

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'interlock-serve-'))
  // Under root the embedded server runs as an unprivileged user, which must reach its data folder.
  await chmod(folder, 0o755)
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? folder,
    INTERLOCK_LOCAL_POSTGRES: '127.0.0.1:1',
    INTERLOCK_TESTCONTAINERS: '0',
    INTERLOCK_API_PORT: '0',
    INTERLOCK_ALERT_CONSOLE_ROUTE: 'none',
    INTERLOCK_EMBEDDED_DATA_DIR: join(folder, 'pgdata'),
    INTERLOCK_TOKEN_FILE: join(folder, 'admin-token'),
    INTERLOCK_DATABASE_URL_FILE: join(folder, 'database-url'),
  }
  child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/src/main.ts'), 'serve'], { env, cwd: folder })
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk)
  })
  url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk)
      const found = /API\s+(http:\/\/\S+)\/api\n/.exec(stdout)
      if (found?.[1] !== undefined && stdout.includes('Stop: Ctrl-C')) resolve(found[1])
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
  })
  token = (await readFile(join(folder, 'admin-token'), 'utf8')).trim()
}, 240_000)

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  await rm(folder, { recursive: true, force: true })
}, 60_000)

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('interlock serve on a bare machine', () => {
  it('starts an embedded Postgres, loads the examples, and runs a pushed sensor to a completed job', async () => {
    expect(stderr).toContain('starting an embedded Postgres')
    expect(stdout).toMatch(/admin token \(new\): ilk_/)
    expect((await api('GET', '/api/ready')).status).toBe(200)
    const pushed = await api(
      'POST',
      '/api/pipelines/bronze-orders-ingest/sensors/raw-orders-landed%232026-03-04T05',
      {
        status: 'COMPLETE',
        files: 2,
        date: '2026-03-04',
        hour: '05',
      },
    )
    expect(pushed.status).toBe(201)
    let run: Record<string, unknown> | undefined
    for (let poll = 0; poll < 200 && run?.status !== 'succeeded'; poll++) {
      run = (await api('GET', '/api/pipelines/bronze-orders-ingest/runs/2026-03-04T05')).body.run as
        | Record<string, unknown>
        | undefined
      if (run?.status !== 'succeeded') await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(run).toMatchObject({ period: '2026-03-04T05', status: 'succeeded' })
    const events = await api('GET', '/api/pipelines/bronze-orders-ingest/events?period=2026-03-04T05')
    expect((events.body.items as ReadonlyArray<{ type: string }>).map((event) => event.type)).toEqual(
      expect.arrayContaining(['JOB_TRIGGERED', 'JOB_COMPLETED']),
    )
  }, 120_000)

  it('stops cleanly on SIGTERM: API, processor, then Postgres', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(stderr).toContain('SIGTERM: stopping the API, then the processor, then Postgres')
    expect(stderr).toContain('stopped')
  }, 60_000)
})
