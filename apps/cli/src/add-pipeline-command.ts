import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { type Archetype, parsePipelineConfig, STARTER_ARCHETYPES } from '@interlock/domain'
import { Either } from 'effect'
import { CommandFailed, UsageError } from './cli-error.ts'
import { listConfigFiles, readConfigFiles } from './config-files.ts'
import type { CliIo } from './io.ts'
import type { Project } from './project-config.ts'

export interface AddPipelineFlags {
  readonly id?: string | undefined
  readonly archetype?: string | undefined
  /** The command the pipeline's job runs (a `command` trigger). */
  readonly command?: string | undefined
}

/** The archetypes a new pipeline may extend: the starters and the project's own (which win by name). */
const knownArchetypes = async (project: Project | undefined): Promise<ReadonlyArray<Archetype>> => {
  if (project === undefined) return STARTER_ARCHETYPES
  const folders = project.archetypeDirs.filter((dir) => existsSync(dir))
  const files =
    folders.length === 0
      ? []
      : await readConfigFiles(project.root, await listConfigFiles(project.root, folders))
  const own = files.flatMap((file) => (file.kind === 'archetype' ? [file.archetype] : []))
  return [...STARTER_ARCHETYPES.filter((starter) => !own.some((each) => each.name === starter.name)), ...own]
}

/** The pipeline file, in seed 001's layout: its archetype's traits listed for evaluators to be named. */
const pipelineText = (id: string, archetype: Archetype, command: string): string => {
  const traits = [...new Set(archetype.rules.map((rule) => rule.key))]
  return [
    `# ${archetype.name}: ${archetype.description}`,
    `name: ${id}`,
    `archetype: ${archetype.name}`,
    '# Each trait is a sensor whose status must be PASS: pushed (interlock push), or produced by an evaluator:',
    '# traits:',
    ...traits.flatMap((trait) => [`#   ${trait}:`, `#     evaluator: ./evaluators/check-${trait}`]),
    'trigger:',
    '  type: command',
    `  command: ${JSON.stringify(command)}`,
    '',
  ].join('\n')
}

/**
 * `interlock add-pipeline`: writes a new pipeline file from an archetype, into the project's first pipeline
 * folder (`./pipelines` outside a project). Flags give the values; on a terminal the missing ones are
 * asked for. The file is checked as the server would check it before it is written; an existing file is
 * never replaced.
 */
export const addPipeline = async (
  io: CliIo,
  project: Project | undefined,
  flags: AddPipelineFlags,
): Promise<number> => {
  const archetypes = await knownArchetypes(project)
  const names = archetypes.map((archetype) => archetype.name)
  const ask = async (flag: string, value: string | undefined, question: string): Promise<string> => {
    if (value !== undefined) return value
    if (io.ask === undefined)
      throw new UsageError({ problem: `add-pipeline needs --${flag} (or run it on a terminal to be asked)` })
    return (await io.ask(question)).trim()
  }
  const id = await ask('id', flags.id, 'pipeline id: ')
  const archetypeName = await ask('archetype', flags.archetype, `archetype (${names.join(', ')}): `)
  const command = await ask('command', flags.command, 'command the job runs: ')
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(id) || /^\.+$/.test(id))
    throw new CommandFailed({
      problem: `"${id}" is not a pipeline id; use 1–128 letters, digits, dots, underscores or hyphens`,
    })
  const archetype = archetypes.find((each) => each.name === archetypeName)
  if (archetype === undefined)
    throw new CommandFailed({ problem: `unknown archetype "${archetypeName}"; known: ${names.join(', ')}` })
  const folder = project?.pipelineDirs[0] ?? resolve(io.cwd, 'pipelines')
  const file = join(folder, `${id}.yaml`)
  const shown = relative(io.cwd, file) || file
  if (existsSync(file))
    throw new CommandFailed({ problem: `${shown} exists already; choose another id or edit it` })
  const text = pipelineText(id, archetype, command)
  const checked = parsePipelineConfig(text, { archetypes, fileName: file })
  if (Either.isLeft(checked))
    throw new CommandFailed({
      problem: `the pipeline would be invalid:\n${checked.left.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n')}`,
    })
  await mkdir(folder, { recursive: true })
  await writeFile(file, text, { flag: 'wx' })
  io.out(
    `created ${shown} (pipeline ${id}, archetype ${archetype.name}); register it with \`interlock apply ${shown}\``,
  )
  return 0
}
