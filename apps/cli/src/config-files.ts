import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { type ConfigIssue, parseCalendar, parsePipelineConfig } from '@interlock/domain'
import { Either } from 'effect'
import { parse } from 'yaml'
import { CommandFailed } from './cli-error.ts'

/** A config file read from disk: a pipeline or a calendar, or what is wrong with it. */
export type ConfigFile =
  | { readonly kind: 'pipeline'; readonly file: string; readonly id: string; readonly text: string }
  | { readonly kind: 'calendar'; readonly file: string; readonly id: string; readonly text: string }
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
  return found
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A calendar file has a top-level `name` and no `pipeline`; everything else is read as a pipeline. */
const looksLikeCalendar = (text: string): boolean => {
  try {
    const value: unknown = parse(text)
    return isRecord(value) && 'name' in value && !('pipeline' in value)
  } catch {
    return false
  }
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
  const pipelines: Array<{ file: string; text: string }> = []
  for (const { file, text } of texts) {
    const shown = relative(cwd, file) || file
    if (looksLikeCalendar(text)) {
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
  const checked = pipelines.map(({ file, text }): ConfigFile => {
    // Calendar references are checked when calendars are known (C6); alone, a pipeline file cannot tell.
    const parsed = parsePipelineConfig(text, {
      fileName: file,
      ...(calendarNames.length === 0 ? {} : { calendars: calendarNames }),
    })
    return Either.isRight(parsed)
      ? { kind: 'pipeline', file, id: parsed.right.pipeline.id, text }
      : { kind: 'invalid', file, issues: parsed.left }
  })
  return [...calendars, ...checked]
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
