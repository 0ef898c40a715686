import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createToken, DEFAULT_API_CONFIG } from '@interlock/api'
import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { runCli } from '../cli.ts'
import { type InterlockServer, loadConfigFolder, startInterlockServer } from '../interlock-server.ts'
import type { CliIo } from '../io.ts'
import { EXAMPLES_DIR, REPO_ROOT } from '../paths.ts'

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export interface CliHarness {
  readonly database: TestDatabase
  readonly server: InterlockServer
  readonly token: string
  readonly env: Readonly<Record<string, string>>
  readonly folder: string
  /** Runs a command line in-process, pointed at this server, its token and its database. */
  readonly cli: (argv: ReadonlyArray<string>, env?: Readonly<Record<string, string>>) => Promise<CliRun>
  /** Runs a command line with parts of its io replaced (a terminal's live status line, a working folder). */
  readonly cliWith: (argv: ReadonlyArray<string>, io: Partial<CliIo>) => Promise<CliRun>
  readonly close: () => Promise<void>
}

/** Processor and API (as `serve` starts them) on a database of its own, with the examples loaded. */
export const startCliHarness = async (): Promise<CliHarness> => {
  // The examples' command jobs name their runner relative to the repository, as under `serve`.
  process.chdir(REPO_ROOT)
  const database = await createTestDatabase()
  const folder = await mkdtemp(join(tmpdir(), 'interlock-cli-'))
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    INTERLOCK_ALERT_CONSOLE_ROUTE: 'none',
  }
  const server = await startInterlockServer({
    databaseUrl: database.url,
    env,
    api: { ...DEFAULT_API_CONFIG, port: 0, tokenCacheMs: 0, logLevel: 'silent' },
    log: () => {},
  })
  await loadConfigFolder(server.processor, EXAMPLES_DIR)
  const { token } = await createToken(server.processor.pool, { name: 'cli test', scopes: ['admin'] })
  const cliEnv = {
    INTERLOCK_URL: server.api.url,
    INTERLOCK_TOKEN: token,
    DATABASE_URL: database.url,
    INTERLOCK_TOKEN_FILE: join(folder, 'admin-token'),
    INTERLOCK_DATABASE_URL_FILE: join(folder, 'database-url'),
  }
  const runWith = async (argv: ReadonlyArray<string>, replaced: Partial<CliIo>): Promise<CliRun> => {
    const out: string[] = []
    const err: string[] = []
    const io: CliIo = {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      env: cliEnv,
      cwd: REPO_ROOT,
      ...replaced,
    }
    const code = await runCli(argv, io)
    return { code, stdout: out.join('\n'), stderr: err.join('\n') }
  }
  return {
    database,
    server,
    token,
    env: cliEnv,
    folder,
    cli: (argv, extra = {}) => runWith(argv, { env: { ...cliEnv, ...extra } }),
    cliWith: (argv, io) => runWith(argv, { ...io, env: { ...cliEnv, ...io.env } }),
    close: async () => {
      await server.stop()
      await database.drop()
      await rm(folder, { recursive: true, force: true })
    },
  }
}
