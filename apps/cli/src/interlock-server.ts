import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { type ApiConfig, type ApiServer, createToken, findToken, startApi } from '@interlock/api'
import { type Processor, processorConfig, startProcessor } from '@interlock/processor'
import { allProjections, combineProjections } from '@interlock/projections'

/** The read models `serve` keeps, as one subscription (the log is read and decoded once per batch). */
export const READ_MODELS = combineProjections('read-models', allProjections)

import { Either } from 'effect'
import { CommandFailed } from './cli-error.ts'
import { issueLines, listConfigFiles, readConfigFiles } from './config-files.ts'

/** API and processor running in one process on one database. */
export interface InterlockServer {
  readonly processor: Processor
  readonly api: ApiServer
  /** Stops the API (in-flight requests finish), then the processor (in-flight commands finish). */
  readonly stop: () => Promise<void>
}

export type ServerLog = (level: 'info' | 'warn' | 'error', message: string) => void

/** Starts the processor (with every read model) and the API on it. */
export const startInterlockServer = async (options: {
  readonly databaseUrl: string
  readonly env: Readonly<Record<string, string | undefined>>
  readonly api: ApiConfig
  readonly log: ServerLog
}): Promise<InterlockServer> => {
  const processor = await startProcessor(processorConfig(options.databaseUrl, options.env), {
    projections: [READ_MODELS],
    log: (level, message, fields) => {
      if (level === 'warn' || level === 'error')
        options.log(level, `${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`)
    },
  })
  let api: ApiServer
  try {
    api = await startApi(processor, options.api)
  } catch (error) {
    await processor.stop()
    throw error
  }
  return {
    processor,
    api,
    stop: async () => {
      await api.close()
      await processor.stop()
    },
  }
}

/**
 * Registers the configs of a folder through the command bus: calendars first (pipelines may name them),
 * then pipelines. Unchanged content records nothing, so every start can load them again.
 */
export const loadConfigFolder = async (
  processor: Processor,
  folder: string,
  /** The folders inside it to read (a project's calendars, archetypes and pipelines); all of it when absent. */
  only: ReadonlyArray<string> = ['.'],
): Promise<{ readonly calendars: number; readonly pipelines: number; readonly changed: number }> => {
  const configs = only.length === 0 ? [] : await readConfigFiles(folder, await listConfigFiles(folder, only))
  const problems = issueLines(configs)
  if (problems.length > 0)
    throw new CommandFailed({ problem: `the configs in ${folder} are invalid:\n${problems.join('\n')}` })
  const source = { actor: 'cli:serve' }
  let changed = 0
  for (const config of configs) {
    if (config.kind !== 'calendar') continue
    const result = await processor.bus.registerCalendar(config.text, source)
    if (Either.isLeft(result)) throw new CommandFailed({ problem: `${config.file}: ${result.left.message}` })
    if (result.right.changed) changed++
  }
  for (const config of configs) {
    if (config.kind !== 'pipeline') continue
    const result = await processor.bus.registerPipeline(config.text, source)
    if (Either.isLeft(result)) throw new CommandFailed({ problem: `${config.file}: ${result.left.message}` })
    if (result.right.changed) changed++
  }
  return {
    calendars: configs.filter((config) => config.kind === 'calendar').length,
    pipelines: configs.filter((config) => config.kind === 'pipeline').length,
    changed,
  }
}

/**
 * The local admin token: the one stored in `file` when the database still knows it unrevoked, else a new
 * `admin` token written there (mode 0600). Only its hash is in the database.
 */
export const ensureAdminToken = async (
  processor: Processor,
  file: string,
): Promise<{ readonly token: string; readonly created: boolean }> => {
  let stored: string | undefined
  try {
    stored = (await readFile(file, 'utf8')).trim()
  } catch {
    stored = undefined
  }
  if (stored !== undefined && stored !== '') {
    const known = await findToken(processor.pool, stored)
    if (known !== undefined && known.revokedAt === null) return { token: stored, created: false }
  }
  const { token } = await createToken(processor.pool, {
    name: 'local admin (interlock serve)',
    scopes: ['admin'],
  })
  await mkdir(dirname(file), { recursive: true })
  // The default folder (.interlock/) keeps itself out of git: nothing in it belongs in a commit.
  if (basename(dirname(file)) === '.interlock') await writeFile(join(dirname(file), '.gitignore'), '*\n')
  await writeFile(file, `${token}\n`, { mode: 0o600 })
  await chmod(file, 0o600)
  return { token, created: true }
}
