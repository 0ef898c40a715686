import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import {
  type Archetype,
  type ConfigIssue,
  encodePipelineConfig,
  parseArchetype,
  parseCalendar,
  parsePipelineConfig,
  SEED_PIPELINE_KEYS,
  STARTER_ARCHETYPES,
} from '@interlock/domain'
import { Either } from 'effect'
import { parse } from 'yaml'
import { CommandFailed } from './cli-error.ts'

/**
 * A config file read from disk: a pipeline, a calendar or an archetype, or what is wrong with it. A
 * pipeline's `text` is what to register: the file as written, or, when it extends an archetype of the
 * project (which the server does not know), the resolved config as JSON with the archetype's rules merged.
 */
export type ConfigFile =
  | { readonly kind: 'pipeline'; readonly file: string; readonly id: string; readonly text: string }
  | { readonly kind: 'calendar'; readonly file: string; readonly id: string; readonly text: string }
  | { readonly kind: 'archetype'; readonly file: string; readonly id: string; readonly archetype: Archetype }
  | { readonly kind: 'invalid'; readonly file: string; readonly issues: ReadonlyArray<ConfigIssue> }

const CONFIG_FILE = /\.(ya?ml|json)$/

/** The config files named: files as given, folders searched recursively for .yaml/.yml/.json, sorted. */
export const listConfigFiles = async (
  cwd: string,
  paths: ReadonlyArray<string>,
): Promise<ReadonlyArray<string>> => {
  const found: string[] = []
  const walk = async (path: string, named: boolean): Promise<void> => {
    let info: Awaited<ReturnType<typeof stat>>
    try {
      info = await stat(path)
    } catch {
      throw new CommandFailed({
        problem: `${relative(cwd, path) || path}: no such file or folder; check the path`,
      })
    }
    if (info.isDirectory()) {
      const entries = (await readdir(path)).sort()
      for (const entry of entries) await walk(join(path, entry), false)
    } else if (named || CONFIG_FILE.test(path)) {
      found.push(path)
    }
  }
  for (const path of paths) await walk(resolve(cwd, path), true)
  return [...new Set(found)]
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Keys only a pipeline in seed 001's layout has (it has a top-level `name`, like a calendar). */
const SEED_ONLY_KEYS = SEED_PIPELINE_KEYS.filter((key) => !['name', 'description', 'owner'].includes(key))

/**
 * What a file holds: an archetype has `requiredTraits` (seed 001) or `name` and `rules`; a calendar has a
 * top-level `name` and no pipeline keys; everything else is read as a pipeline.
 */
const kindOf = (text: string): 'pipeline' | 'calendar' | 'archetype' => {
  let value: unknown
  try {
    value = parse(text)
  } catch {
    return 'pipeline'
  }
  if (!isRecord(value) || !('name' in value) || 'pipeline' in value) return 'pipeline'
  if ('requiredTraits' in value || 'rules' in value) return 'archetype'
  return SEED_ONLY_KEYS.some((key) => key in value) ? 'pipeline' : 'calendar'
}

/**
 * Reads and checks config files on their own (no server): calendars with `parseCalendar`, pipelines with
 * `parsePipelineConfig`, knowing the calendars among the same files plus `knownCalendars`.
 */
export const readConfigFiles = async (
  cwd: string,
  files: ReadonlyArray<string>,
  knownCalendars: ReadonlyArray<string> = [],
): Promise<ReadonlyArray<ConfigFile>> => {
  const texts = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, 'utf8') })))
  const calendars: ConfigFile[] = []
  const archetypes: ConfigFile[] = []
  const pipelines: Array<{ file: string; text: string }> = []
  for (const { file, text } of texts) {
    const shown = relative(cwd, file) || file
    const kind = kindOf(text)
    if (kind === 'archetype') {
      const parsed = parseArchetype(text)
      archetypes.push(
        Either.isRight(parsed)
          ? { kind: 'archetype', file: shown, id: parsed.right.name, archetype: parsed.right }
          : { kind: 'invalid', file: shown, issues: parsed.left },
      )
    } else if (kind === 'calendar') {
      const parsed = parseCalendar(text)
      calendars.push(
        Either.isRight(parsed)
          ? { kind: 'calendar', file: shown, id: parsed.right.name, text }
          : { kind: 'invalid', file: shown, issues: parsed.left },
      )
    } else {
      pipelines.push({ file: shown, text })
    }
  }
  const calendarNames = [
    ...knownCalendars,
    ...calendars.flatMap((calendar) => (calendar.kind === 'calendar' ? [calendar.id] : [])),
  ]
  const own = archetypes.flatMap((archetype) => (archetype.kind === 'archetype' ? [archetype.archetype] : []))
  const known = [
    ...STARTER_ARCHETYPES.filter((starter) => !own.some((each) => each.name === starter.name)),
    ...own,
  ]
  const checked = pipelines.map(({ file, text }): ConfigFile => {
    // Calendar references are checked when calendars are known (C6); alone, a pipeline file cannot tell.
    const parsed = parsePipelineConfig(text, {
      fileName: file,
      archetypes: known,
      ...(calendarNames.length === 0 ? {} : { calendars: calendarNames }),
    })
    if (Either.isLeft(parsed)) return { kind: 'invalid', file, issues: parsed.left }
    const config = parsed.right
    if (config.extends === undefined || !own.some((archetype) => archetype.name === config.extends))
      return { kind: 'pipeline', file, id: config.pipeline.id, text }
    // The server knows only the starter archetypes: register the rules already merged, without `extends`.
    const { extends: _merged, ...resolved } = encodePipelineConfig(config)
    return { kind: 'pipeline', file, id: config.pipeline.id, text: JSON.stringify(resolved) }
  })
  return [...archetypes, ...calendars, ...checked]
}

/** `file: path: message`, one line per issue. */
export const issueLines = (configs: ReadonlyArray<ConfigFile>): ReadonlyArray<string> =>
  configs.flatMap((config) =>
    config.kind === 'invalid'
      ? config.issues.map(
          (issue) => `${config.file}: ${issue.path === '' ? '(file)' : issue.path}: ${issue.message}`,
        )
      : [],
  )
