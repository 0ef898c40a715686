import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, relative } from 'node:path'
import { readApiConfig } from '@interlock/api'
import { applicationDatabaseUrl, migrate, postgresEnvironment, resolvePostgres } from '@interlock/db'
import { servedDatabaseFile } from './database.ts'
import { ensureAdminToken, loadConfigFolder, startInterlockServer } from './interlock-server.ts'
import type { CliIo } from './io.ts'
import { embeddedDataDirOf, REPO_ROOT, tokenFileOf } from './paths.ts'
import { PROJECT_FILE, type Project } from './project-config.ts'

/**
 * `interlock serve`: Postgres per the resolver (embedded on a bare machine, data kept in .pgdata/), the
 * migrations, processor and API in this process, the examples loaded, a local admin token. Resolves once
 * a SIGINT or SIGTERM has stopped everything in order: API, processor, Postgres.
 */
export const serve = async (
  io: CliIo,
  options: { readonly examples: string | false; readonly project?: Project | undefined },
): Promise<number> => {
  const project = options.project
  // Command jobs and evaluators name their programs relative to the project (the examples' to the repository).
  process.chdir(project?.root ?? REPO_ROOT)
  const log = (message: string) => io.err(message)
  // The embedded Postgres library stops its servers and exits on SIGINT/SIGTERM by itself, under the
  // processor's feet; its handlers are removed so the shutdown below runs in order.
  const signalListeners = new Set([...process.listeners('SIGINT'), ...process.listeners('SIGTERM')])
  const server = await resolvePostgres({
    environment: postgresEnvironment(io.env),
    embeddedDataDir: embeddedDataDirOf(io.env),
    log,
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    for (const listener of process.listeners(signal))
      if (!signalListeners.has(listener)) process.off(signal, listener)
  let running: Awaited<ReturnType<typeof startInterlockServer>> | undefined
  try {
    const databaseUrl = await applicationDatabaseUrl(server)
    const report = await migrate(databaseUrl)
    log(
      `database: migration ${report.current}${report.applied.length > 0 ? ` (applied ${report.applied.join(', ')})` : ''}`,
    )
    running = await startInterlockServer({
      databaseUrl,
      env: io.env,
      api: readApiConfig({ INTERLOCK_LOG_LEVEL: 'warn', ...io.env }),
      log: (level, message) => io.err(`${level}: ${message}`),
    })
    if (project !== undefined) {
      for (const notice of project.notices) log(`${PROJECT_FILE}: ${notice}`)
      const folders = [...project.calendarDirs, ...project.archetypeDirs, ...project.pipelineDirs]
      const present = folders.filter((folder) => existsSync(folder))
      const loaded = await loadConfigFolder(running.processor, project.root, present)
      log(
        `project: ${loaded.calendars} calendar(s) and ${loaded.pipelines} pipeline(s) from ${present.map((folder) => relative(project.root, folder) || '.').join(', ')} (${loaded.changed} new or changed)`,
      )
    }
    if (options.examples !== false) {
      const loaded = await loadConfigFolder(running.processor, options.examples)
      log(
        `examples: ${loaded.calendars} calendar(s) and ${loaded.pipelines} pipeline(s) from ${options.examples} (${loaded.changed} new or changed)`,
      )
    }
    const urlFile = servedDatabaseFile(io.env)
    await mkdir(dirname(urlFile), { recursive: true })
    await writeFile(urlFile, `${databaseUrl}\n`, { mode: 0o600 })
    const tokenFile = tokenFileOf(io.env)
    const { token, created } = await ensureAdminToken(running.processor, tokenFile)
    const url = running.api.url
    io.out(
      [
        '',
        `Interlock is running (Postgres: ${server.source}, clock: ${running.processor.clock.mode}).`,
        `  dashboard  ${url}/  (sign in with the admin token below)`,
        `  API        ${url}/api`,
        `  API docs   ${url}/api/docs`,
        `  ready      ${url}/api/ready`,
        `  metrics    ${url}/metrics`,
        `  admin token ${created ? '(new)' : '(kept)'}: ${token}`,
        `    stored in ${tokenFile}; the CLI uses it by default.`,
        '',
        project === undefined
          ? 'Try:  npm run interlock -- status      npm run demo'
          : 'Try:  interlock status      interlock evaluate <pipeline>      interlock run <pipeline>',
        'Stop: Ctrl-C',
      ].join('\n'),
    )
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'))
      process.once('SIGTERM', () => resolve('SIGTERM'))
    })
    log(`${signal}: stopping the API, then the processor, then Postgres`)
    return 0
  } finally {
    if (running !== undefined) await running.stop()
    await rm(servedDatabaseFile(io.env), { force: true })
    await server.stop()
    log('stopped')
  }
}
