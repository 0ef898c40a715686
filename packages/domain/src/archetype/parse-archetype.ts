import { Either, Schema } from 'effect'
import { parseDocument } from 'yaml'
import { type ConfigIssue, configIssuesFromParseError } from '../config/config-issue.ts'
import { unknownKeyIssues } from '../config/seed-layout.ts'
import { Archetype } from './archetype.ts'

type Json = Record<string, unknown>
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Seed 001's archetype file: `requiredTraits` (each a sensor of that key whose `status` must be `PASS`, and
 * with `defaultTtl` seconds, fresher than that), `optionalTraits` (not required: no rule), `readinessRule`
 * `all-required-pass` (every rule passes, ALL). `defaultConfig`/`defaultTimeout` belong to the evaluator a
 * pipeline names for the trait, so the pipeline's trait settings carry them.
 */
const fromSeed = (raw: Json): Either.Either<Json, ReadonlyArray<ConfigIssue>> => {
  const issues = unknownKeyIssues(
    raw,
    ['name', 'description', 'requiredTraits', 'optionalTraits', 'readinessRule'],
    '',
  )
  const rule = isRecord(raw.readinessRule) ? raw.readinessRule.type : undefined
  if (raw.readinessRule !== undefined && rule !== 'all-required-pass') {
    issues.push({
      path: 'readinessRule.type',
      message: `the readiness rule is all-required-pass (every required trait passes); got ${JSON.stringify(rule)}`,
    })
  }
  const required = Array.isArray(raw.requiredTraits) ? raw.requiredTraits : []
  const rules = required.flatMap((trait, index): ReadonlyArray<Json> => {
    const at = `requiredTraits[${index}]`
    if (!isRecord(trait) || typeof trait.type !== 'string') {
      issues.push({ path: `${at}.type`, message: 'each required trait names its type (the sensor key)' })
      return []
    }
    issues.push(
      ...unknownKeyIssues(
        trait,
        ['type', 'description', 'defaultConfig', 'defaultTtl', 'defaultTimeout'],
        at,
      ),
    )
    const pass = { key: trait.type, check: 'equals', field: 'status', value: 'PASS' }
    return typeof trait.defaultTtl === 'number'
      ? [pass, { key: trait.type, check: 'age_lt', field: 'updatedAt', value: `${trait.defaultTtl}s` }]
      : [pass]
  })
  if (issues.length > 0) return Either.left(issues)
  const describe = required.map((trait) => (isRecord(trait) ? String(trait.type) : '')).join(', ')
  return Either.right({
    name: raw.name,
    description: typeof raw.description === 'string' ? raw.description : `requires ${describe}`,
    rules,
  })
}

const decode = Schema.decodeUnknownEither(Archetype, { errors: 'all', onExcessProperty: 'error' })

/** Reads an archetype from YAML text: this model's form (`name`, `description`, `rules`) or seed 001's. */
export const parseArchetype = (text: string): Either.Either<Archetype, ReadonlyArray<ConfigIssue>> => {
  const document = parseDocument(text, { schema: 'core', uniqueKeys: true })
  if (document.errors.length > 0)
    return Either.left([
      { path: '', message: `${document.errors[0]?.message.split('\n')[0]} — fix the YAML syntax` },
    ])
  const raw: unknown = document.toJS()
  if (!isRecord(raw))
    return Either.left([{ path: '', message: 'an archetype is a mapping with name and rules' }])
  const shaped = 'requiredTraits' in raw ? fromSeed(raw) : Either.right(raw)
  return Either.flatMap(shaped, (value) =>
    Either.mapLeft(decode(value), (error) => configIssuesFromParseError(error)),
  )
}
