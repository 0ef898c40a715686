import type { ApiClient } from './api-client.ts'
import { CommandFailed } from './cli-error.ts'
import { issueLines, listConfigFiles, readConfigFiles } from './config-files.ts'
import type { CliIo } from './io.ts'

/** `interlock validate <files|dirs>`: checks configs locally; every problem with its file and path, exit 1. */
export const validate = async (io: CliIo, paths: ReadonlyArray<string>, json: boolean): Promise<number> => {
  const configs = await readConfigFiles(io.cwd, await listConfigFiles(io.cwd, paths))
  const problems = issueLines(configs)
  if (json) {
    io.out(
      JSON.stringify(
        {
          valid: problems.length === 0,
          files: configs.map((config) =>
            config.kind === 'invalid'
              ? { file: config.file, kind: 'invalid', errors: config.issues }
              : { file: config.file, kind: config.kind, id: config.id },
          ),
        },
        null,
        2,
      ),
    )
  } else {
    for (const config of configs)
      if (config.kind !== 'invalid') io.out(`ok  ${config.file} (${config.kind} ${config.id})`)
    for (const line of problems) io.err(line)
  }
  if (problems.length > 0) {
    if (!json)
      io.err(`${problems.length} problem(s) in ${configs.filter((c) => c.kind === 'invalid').length} file(s)`)
    return 1
  }
  return 0
}

/**
 * `interlock apply <files|dirs>`: validates, then registers every calendar and pipeline through the API
 * (`PUT /api/calendars/{name}`, then `PUT /api/pipelines/{id}`).
 */
export const apply = async (io: CliIo, client: ApiClient, paths: ReadonlyArray<string>): Promise<number> => {
  const configs = await readConfigFiles(io.cwd, await listConfigFiles(io.cwd, paths))
  const problems = issueLines(configs)
  if (problems.length > 0) {
    for (const line of problems) io.err(line)
    throw new CommandFailed({
      problem: `nothing applied: ${problems.length} problem(s); fix them and apply again`,
    })
  }
  let failed = 0
  // Calendars first: a pipeline that names one is refused until it is registered (C6).
  const ordered = [
    ...configs.filter((config) => config.kind === 'calendar'),
    ...configs.filter((config) => config.kind === 'pipeline'),
  ]
  for (const config of ordered) {
    const route = config.kind === 'calendar' ? 'calendars' : 'pipelines'
    try {
      const answer = (await client.request('PUT', `/api/${route}/${encodeURIComponent(config.id)}`, {
        text: config.text,
        contentType: config.file.endsWith('.json') ? 'application/json' : 'application/yaml',
      })) as { version?: number; changed?: boolean }
      io.out(
        `${answer.changed === true ? 'applied  ' : 'unchanged'} ${config.kind === 'calendar' ? 'calendar ' : ''}${config.id} v${answer.version ?? '?'} (${config.file})`,
      )
    } catch (error) {
      if (!(error instanceof CommandFailed)) throw error
      if (error.problem.startsWith('cannot reach')) throw error
      failed++
      io.err(`${config.file}: ${error.problem}`)
    }
  }
  if (failed > 0) throw new CommandFailed({ problem: `${failed} config(s) were refused` })
  return 0
}
