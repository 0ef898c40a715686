import { Either, Schema } from 'effect'
import { parseDocument } from 'yaml'
import { type Archetype, applyArchetype } from '../archetype/archetype.ts'
import { STARTER_ARCHETYPES } from '../archetype/starter-archetypes.ts'
import { unstorableText } from '../shared/unstorable-text.ts'
import { type ConfigIssue, configIssuesFromParseError } from './config-issue.ts'
import { jobConfigKeys } from './job-config.ts'
import { nearestKey } from './nearest-key.ts'
import { PipelineConfig } from './pipeline-config.ts'
import { fromSeedLayout, isSeedLayout } from './seed-layout.ts'

/** What a config may refer to by name, known at registration (C6). */
export interface ParsePipelineConfigOptions {
  /** Archetypes `extends:` may name; the seed 001 starters when absent. */
  readonly archetypes?: ReadonlyArray<Archetype>
  /** Names of registered calendars; when given, an unknown `calendar`/`exclude.holidays` is an error (C6). */
  readonly calendars?: ReadonlyArray<string>
  /** The file the config came from; its base name must equal `pipeline.id` (C1). */
  readonly fileName?: string
}

const DECODE_OPTIONS = { errors: 'all', onExcessProperty: 'error' } as const
const decode = Schema.decodeUnknownEither(PipelineConfig, DECODE_OPTIONS)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** YAML 1.2 core schema (only true/false are booleans, dates stay strings), duplicate keys rejected. */
const parseText = (text: string): Either.Either<unknown, ReadonlyArray<ConfigIssue>> => {
  const document = parseDocument(text, { schema: 'core', uniqueKeys: true, prettyErrors: true })
  if (document.errors.length > 0) {
    return Either.left(
      document.errors.map((error) => {
        const position = error.linePos?.[0]
        const where = position === undefined ? '' : `line ${position.line}, column ${position.col}: `
        return { path: '', message: `${where}${error.message.split('\n')[0]} — fix the YAML syntax` }
      }),
    )
  }
  try {
    return Either.right(document.toJS({ maxAliasCount: MAX_YAML_ALIASES }))
  } catch (error) {
    // Well-formed YAML can still fail to resolve: an alias to no anchor, or an alias bomb.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return Either.left([{ path: '', message: `${reason} — fix the YAML anchors and aliases` }])
  }
}

/** More aliases than this in one document is refused as an alias bomb. */
const MAX_YAML_ALIASES = 100

/**
 * `job.config` keys in another letter case (`dagID`, `workspaceURL`) renamed to their camelCase form, as the
 * original matched them case-insensitively (spec §5.1). Anything else is left for the schema to judge.
 */
const normaliseJobConfigKeys = (input: unknown): unknown => {
  if (!isRecord(input) || !isRecord(input.job) || !isRecord(input.job.config)) return input
  const type = input.job.type
  const known = typeof type === 'string' ? jobConfigKeys(type) : undefined
  if (known === undefined) return input
  const config = input.job.config
  const renamed = Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      if (known.includes(key)) return [key, value]
      const canonical = known.find((name) => name.toLowerCase() === key.toLowerCase())
      return canonical !== undefined && !Object.hasOwn(config, canonical) ? [canonical, value] : [key, value]
    }),
  )
  return { ...input, job: { ...input.job, config: renamed } }
}

const baseName = (fileName: string): string =>
  (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.(ya?ml|json)$/, '')

/** Checks that need what is registered elsewhere: archetypes, calendars, the file name. */
const referenceIssues = (
  config: PipelineConfig,
  options: ParsePipelineConfigOptions,
): ReadonlyArray<ConfigIssue> => {
  const issues: Array<ConfigIssue> = []
  const archetypes = options.archetypes ?? STARTER_ARCHETYPES
  if (config.extends !== undefined && !archetypes.some((archetype) => archetype.name === config.extends)) {
    const names = archetypes.map((archetype) => archetype.name)
    const suggestion = nearestKey(config.extends, names)
    issues.push({
      path: 'extends',
      message:
        suggestion !== undefined
          ? `unknown archetype "${config.extends}"; did you mean "${suggestion}"?`
          : `unknown archetype "${config.extends}"; known archetypes: ${names.join(', ')}`,
    })
  }
  const calendars = options.calendars
  if (calendars !== undefined) {
    const check = (path: string, name: string | undefined) => {
      if (name === undefined || calendars.includes(name)) return
      const suggestion = nearestKey(name, calendars)
      issues.push({
        path,
        message: `unknown calendar "${name}"; ${suggestion !== undefined ? `did you mean "${suggestion}"? ` : ''}register it first or fix the name`,
      })
    }
    const schedules =
      config.schedules?.map((schedule, index) => ({ schedule, at: `schedules[${index}]` })) ?? []
    if (config.schedule !== undefined)
      schedules.push({ schedule: { ...config.schedule, name: 'default' } as never, at: 'schedule' })
    for (const { schedule, at } of schedules) {
      check(`${at}.calendar`, schedule.calendar)
      check(`${at}.exclude.holidays`, schedule.exclude?.holidays)
    }
  }
  if (options.fileName !== undefined && baseName(options.fileName) !== config.pipeline.id) {
    issues.push({
      path: 'pipeline.id',
      message: `pipeline id "${config.pipeline.id}" differs from its file name "${options.fileName}"; rename the file to ${config.pipeline.id}.yaml or change the id`,
    })
  }
  return issues
}

/**
 * Reads a pipeline config from YAML or JSON text, or from an already-parsed value, and checks it whole:
 * every problem comes back at once as `{path, message}` (C2, C3). On success the config has its defaults
 * filled in and, when it `extends:` an archetype, the archetype's rules merged in.
 */
export const parsePipelineConfig = (
  input: unknown,
  options: ParsePipelineConfigOptions = {},
): Either.Either<PipelineConfig, ReadonlyArray<ConfigIssue>> => {
  const value = typeof input === 'string' ? parseText(input) : Either.right(input)
  return Either.flatMap(value, (raw) => {
    const unstorable = unstorableText(raw)
    if (unstorable !== undefined) return Either.left([unstorable])
    if (!isRecord(raw)) {
      return Either.left([
        { path: '', message: 'a pipeline config must be a mapping with pipeline, job and other keys' },
      ])
    }
    const archetypes = options.archetypes ?? STARTER_ARCHETYPES
    // Seed 001's layout (`name:`, `traits:`, `trigger:`, …) is mapped onto this one, then decoded the same way.
    const layout = isSeedLayout(raw) ? fromSeedLayout(raw, archetypes) : Either.right(raw)
    if (Either.isLeft(layout)) return Either.left(layout.left)
    return Either.match(decode(normaliseJobConfigKeys(layout.right)), {
      onLeft: (error) => Either.left(configIssuesFromParseError(error)),
      onRight: (config) => {
        const issues = referenceIssues(config, options)
        if (issues.length > 0) return Either.left(issues)
        const archetype = archetypes.find((each) => each.name === config.extends)
        return Either.right(archetype === undefined ? config : applyArchetype(config, archetype))
      },
    })
  })
}

/** The JSON form of a decoded config, as stored in the log (durations as their original text). */
export const encodePipelineConfig = Schema.encodeSync(PipelineConfig)
