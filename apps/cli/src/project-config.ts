import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { unknownKeyIssues } from '@interlock/domain'
import { parseDocument } from 'yaml'
import { CommandFailed } from './cli-error.ts'

/** The project file `serve` and the CLI read from the folder they run in (seed 001's `interlock.yaml`). */
export const PROJECT_FILE = 'interlock.yaml'

/**
 * A project (seed 001's layout): where its configs are, the database, the API address and the alert
 * sinks, all as the INTERLOCK_* settings they stand for. Environment variables still override them.
 */
export interface Project {
  /** The folder holding interlock.yaml; relative paths in it are resolved against this folder. */
  readonly root: string
  readonly pipelineDirs: ReadonlyArray<string>
  readonly archetypeDirs: ReadonlyArray<string>
  readonly calendarDirs: ReadonlyArray<string>
  readonly evaluatorDirs: ReadonlyArray<string>
  /** The settings the file gives, as environment variables (DATABASE_URL, INTERLOCK_API_*, INTERLOCK_ALERT_*, INTERLOCK_JOB_ENV). */
  readonly settings: Readonly<Record<string, string>>
  /** Things the file says that have no effect here, each said once when the project loads. */
  readonly notices: ReadonlyArray<string>
}

const KEYS = [
  'provider',
  'redis',
  'dynamodb',
  'database',
  'server',
  'archetypeDirs',
  'evaluatorDirs',
  'pipelineDirs',
  'calendarDirs',
  'alerts',
  'env',
]
const ALERT_KEYS: Readonly<Record<string, ReadonlyArray<string>>> = {
  console: ['type', 'route'],
  file: ['type', 'path', 'route'],
  webhook: ['type', 'url', 'route'],
  slack: ['type', 'channel', 'route'],
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

type Json = Record<string, unknown>
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const unknownKeys = (block: Json, known: ReadonlyArray<string>, at: string): Array<string> =>
  unknownKeyIssues(block, known, at).map((issue) => `${issue.path}: ${issue.message}`)

/** `host:port`, `:port` (every interface, as Go reads it) or `port`. */
const addressOf = (addr: string): { readonly host: string; readonly port: string } | undefined => {
  const match = /^(?:(.*):)?(\d{1,5})$/.exec(addr.trim())
  if (match === null || Number(match[2]) > 65_535) return undefined
  const host = match[1] ?? '127.0.0.1'
  return { host: host === '' ? '0.0.0.0' : host, port: match[2] ?? '' }
}

const stringList = (
  value: unknown,
  at: string,
  problems: Array<string>,
): ReadonlyArray<string> | undefined => {
  if (value === undefined) return undefined
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' && item.trim() !== ''))
    return value
  problems.push(`${at}: a list of folders, such as [./pipelines]`)
  return undefined
}

/**
 * Reads `interlock.yaml` text. Every problem is reported at once, each as `path: message`; seed 001's
 * `provider: redis` (or dynamodb) and its `redis:` block are accepted and noticed: state lives in Postgres.
 */
export const parseProject = (
  text: string,
  root: string,
): { readonly project?: Project; readonly problems: ReadonlyArray<string> } => {
  const document = parseDocument(text, { schema: 'core', uniqueKeys: true })
  if (document.errors.length > 0)
    return { problems: [`${document.errors[0]?.message.split('\n')[0]} — fix the YAML syntax`] }
  const raw: unknown = document.toJS() ?? {}
  if (!isRecord(raw)) return { problems: ['the project file is a mapping: pipelineDirs, server, alerts, …'] }
  const problems = unknownKeys(raw, KEYS, '')
  const notices: Array<string> = []
  const settings: Record<string, string> = {}
  const provider = raw.provider ?? 'postgres'
  if (provider === 'redis' || provider === 'dynamodb') {
    notices.push(
      `provider ${provider}: Interlock keeps its event log and state in Postgres; the ${provider} settings are not used`,
    )
  } else if (provider !== 'postgres') {
    problems.push(`provider: "${String(provider)}" is not a provider; Interlock uses postgres`)
  }
  if (raw.database !== undefined) {
    if (!isRecord(raw.database) || typeof raw.database.url !== 'string' || raw.database.url === '') {
      problems.push('database.url: the Postgres URL (postgres://user@host:5432/db), or leave database out')
    } else {
      problems.push(...unknownKeys(raw.database, ['url'], 'database'))
      settings.DATABASE_URL = raw.database.url
    }
  }
  if (raw.server !== undefined) {
    const addr = isRecord(raw.server) ? raw.server.addr : undefined
    const address = typeof addr === 'string' ? addressOf(addr) : undefined
    if (isRecord(raw.server)) problems.push(...unknownKeys(raw.server, ['addr'], 'server'))
    if (address === undefined)
      problems.push('server.addr: write host:port, :port or port, such as "127.0.0.1:8080"')
    else {
      settings.INTERLOCK_API_HOST = address.host
      settings.INTERLOCK_API_PORT = address.port
    }
  }
  const alerts = raw.alerts ?? []
  if (!Array.isArray(alerts)) problems.push('alerts: a list of sinks, such as [{type: console}]')
  const seen = new Set<string>()
  ;(Array.isArray(alerts) ? alerts : []).forEach((sink: unknown, index) => {
    const at = `alerts[${index}]`
    const type = isRecord(sink) ? sink.type : undefined
    const known = typeof type === 'string' ? ALERT_KEYS[type] : undefined
    if (!isRecord(sink) || known === undefined) {
      problems.push(`${at}.type: one of ${Object.keys(ALERT_KEYS).join(', ')}, got ${JSON.stringify(type)}`)
      return
    }
    if (seen.has(String(type)))
      problems.push(`${at}.type: a second ${String(type)} sink; list each type once`)
    seen.add(String(type))
    problems.push(...unknownKeys(sink, known, at))
    const upper = String(type).toUpperCase()
    if (typeof sink.route === 'string') settings[`INTERLOCK_ALERT_${upper}_ROUTE`] = sink.route
    const need = (key: string, variable: string, map: (value: string) => string = (value) => value) => {
      const value = sink[key]
      if (typeof value !== 'string' || value === '')
        problems.push(`${at}.${key}: required for a ${String(type)} sink`)
      else settings[variable] = map(value)
    }
    if (type === 'console' && sink.route === undefined) settings.INTERLOCK_ALERT_CONSOLE_ROUTE = '*'
    if (type === 'file') need('path', 'INTERLOCK_ALERT_FILE_PATH', (path) => resolve(root, path))
    if (type === 'webhook') need('url', 'INTERLOCK_ALERT_WEBHOOK_URL')
    // The Slack token is a secret: it stays in the environment (INTERLOCK_ALERT_SLACK_TOKEN), never in the file.
    if (type === 'slack') need('channel', 'INTERLOCK_ALERT_SLACK_CHANNEL')
  })
  // `env:` names the variables job configs may read beyond INTERLOCK_* (ruling T3, refined), such as
  // seed 001's `${AIRFLOW_TOKEN}`; the processor checks them again (INTERLOCK_JOB_ENV).
  if (raw.env !== undefined) {
    const names = Array.isArray(raw.env) ? raw.env : undefined
    if (names === undefined || !names.every((name) => typeof name === 'string' && VARIABLE_NAME.test(name)))
      problems.push(
        'env: a list of environment variable names job configs may read, such as [AIRFLOW_TOKEN, DATABRICKS_TOKEN]',
      )
    else if (names.length > 0) settings.INTERLOCK_JOB_ENV = names.join(',')
  }
  const dirs = (key: string, fallback: string) =>
    (stringList(raw[key], key, problems) ?? [fallback]).map((dir) => resolve(root, dir))
  const project: Project = {
    root,
    pipelineDirs: dirs('pipelineDirs', './pipelines'),
    archetypeDirs: dirs('archetypeDirs', './archetypes'),
    calendarDirs: dirs('calendarDirs', './calendars'),
    evaluatorDirs: dirs('evaluatorDirs', './evaluators'),
    settings,
    notices,
  }
  return problems.length > 0 ? { problems } : { project, problems }
}

/** The project of the folder a command runs in (its interlock.yaml), or undefined when it has none. */
export const findProject = async (cwd: string): Promise<Project | undefined> => {
  const file = join(cwd, PROJECT_FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return undefined
  }
  const { project, problems } = parseProject(text, cwd)
  if (project === undefined)
    throw new CommandFailed({
      problem: `${file} is invalid:\n${problems.map((line) => `  ${PROJECT_FILE}: ${line}`).join('\n')}`,
    })
  return project
}

/** The environment a command sees in a project: the project's settings under the real environment. */
export const projectEnv = (
  project: Project | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Readonly<Record<string, string | undefined>> =>
  project === undefined
    ? env
    : {
        ...project.settings,
        INTERLOCK_TOKEN_FILE: join(project.root, '.interlock', 'admin-token'),
        INTERLOCK_DATABASE_URL_FILE: join(project.root, '.interlock', 'database-url'),
        INTERLOCK_EMBEDDED_DATA_DIR: join(project.root, '.interlock', 'pgdata'),
        ...Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)),
      }
