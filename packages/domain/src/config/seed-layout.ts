import { Either } from 'effect'
import type { Archetype } from '../archetype/archetype.ts'
import type { ConfigIssue } from './config-issue.ts'
import { nearestKey } from './nearest-key.ts'

// Seed 001's pipeline layout (`name:`, `archetype:`, `traits:`, `trigger:`, `schedules:`, `exclusions:`,
// `retry:`, `watch:`, `sla:`), mapped onto this model's layout before the one schema decodes it. No second
// code path: the result is an ordinary pipeline config, checked by the same strict schema.

type Json = Record<string, unknown>

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The top-level keys of a seed 001 pipeline. */
export const SEED_PIPELINE_KEYS = [
  'name',
  'description',
  'owner',
  'archetype',
  'tier',
  'traits',
  'trigger',
  'schedules',
  'exclusions',
  'retry',
  'watch',
  'sla',
] as const

/** A seed 001 pipeline has a top-level `name` and no `pipeline` block. */
export const isSeedLayout = (raw: Json): boolean => 'name' in raw && !('pipeline' in raw)

/** An issue per key of `block` not in `known`, at `at`, naming the nearest known key. */
export const unknownKeyIssues = (block: Json, known: ReadonlyArray<string>, at: string): Array<ConfigIssue> =>
  Object.keys(block)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const suggestion = nearestKey(key, known)
      return {
        path: at === '' ? key : `${at}.${key}`,
        message:
          suggestion !== undefined
            ? `unknown key "${key}"; did you mean "${suggestion}"?`
            : `unknown key "${key}"; known keys: ${known.join(', ')}`,
      }
    })

/** Seconds as seed 001 writes them (`ttl: 120`, `timeout: 15`), as a duration text; text passes through. */
const seconds = (value: unknown): unknown => (typeof value === 'number' ? `${value}s` : value)

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/
const minutesOf = (value: unknown): number | undefined => {
  const match = typeof value === 'string' ? CLOCK.exec(value) : null
  return match === null ? undefined : Number(match[1]) * 60 + Number(match[2])
}

/**
 * A trait (seed 001) is a sensor of the same key whose `status` must be `PASS`, produced by its evaluator
 * (C15) when it has one; `ttl` (seconds) makes an older reading stale (an age rule on `updatedAt`). Without
 * its own ttl, the archetype's age rule for that key is kept.
 */
const traitRules = (
  type: string,
  trait: Json,
  archetype: Archetype | undefined,
  at: string,
  issues: Array<ConfigIssue>,
): ReadonlyArray<Json> => {
  issues.push(...unknownKeyIssues(trait, ['evaluator', 'config', 'ttl', 'timeout'], at))
  const evaluator =
    trait.evaluator === undefined
      ? undefined
      : {
          ...(typeof trait.evaluator === 'string' && /^https?:\/\//.test(trait.evaluator)
            ? { url: trait.evaluator }
            : { command: trait.evaluator }),
          ...(trait.config !== undefined ? { config: trait.config } : {}),
          ...(trait.timeout !== undefined ? { timeout: seconds(trait.timeout) } : {}),
        }
  if (evaluator === undefined && (trait.config !== undefined || trait.timeout !== undefined)) {
    issues.push({
      path: `${at}.evaluator`,
      message: 'config and timeout are for an evaluator; name the evaluator',
    })
  }
  const pass = {
    key: type,
    check: 'equals',
    field: 'status',
    value: 'PASS',
    ...(evaluator !== undefined ? { evaluator } : {}),
  }
  const inherited = archetype?.rules.filter((rule) => rule.key === type && rule.check === 'age_lt') ?? []
  const age =
    trait.ttl !== undefined
      ? [{ key: type, check: 'age_lt', field: 'updatedAt', value: seconds(trait.ttl) }]
      : inherited.map((rule) => ({ ...rule, value: (rule.value as { text: string }).text }))
  return [pass, ...age]
}

/**
 * `trigger: {type, …}` is `job: {type, config: {…}}`. A Databricks `jobName` is the job's name, which the
 * trigger resolves like a non-numeric `jobId`. An EMR argument list needs nothing: it is the step's Args,
 * run by command-runner.jar, as in this layout.
 */
const jobOf = (trigger: unknown): Json | undefined => {
  if (!isRecord(trigger)) return undefined
  const { type, ...config } = trigger
  if (type === 'databricks' && config.jobName !== undefined && config.jobId === undefined) {
    const { jobName, ...rest } = config
    return { type, config: { ...rest, jobId: jobName } }
  }
  return { type, config }
}

const CATEGORIES = ['TRANSIENT', 'PERMANENT', 'TIMEOUT', 'EVALUATOR_CRASH']
/** The backoff of Interlock's trigger retries (T4); seed 001 made it configurable, here it is fixed. */
const FIXED_BACKOFF_SECONDS = 30
const FIXED_BACKOFF_MULTIPLIER = 2

/**
 * `retry` (seed 001): `maxAttempts` counts the first try, so it is retries + 1, for the categories listed in
 * `retryableFailures` (TRANSIENT and TIMEOUT share `maxRetries`, PERMANENT is `maxCodeRetries`; a failed
 * evaluator, EVALUATOR_CRASH, is always evaluated again at the next interval). The backoff is Interlock's.
 */
const retryBudgets = (retry: unknown, issues: Array<ConfigIssue>): Json => {
  if (!isRecord(retry)) {
    issues.push({ path: 'retry', message: 'retry is a mapping: maxAttempts, backoffSeconds, …' })
    return {}
  }
  issues.push(
    ...unknownKeyIssues(
      retry,
      ['maxAttempts', 'backoffSeconds', 'backoffMultiplier', 'retryableFailures'],
      'retry',
    ),
  )
  const attempts = retry.maxAttempts ?? 3
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 1) {
    issues.push({
      path: 'retry.maxAttempts',
      message: `maxAttempts is a whole number ≥ 1, got ${JSON.stringify(attempts)}`,
    })
    return {}
  }
  if (retry.backoffSeconds !== undefined && retry.backoffSeconds !== FIXED_BACKOFF_SECONDS) {
    issues.push({
      path: 'retry.backoffSeconds',
      message: `Interlock retries after ${FIXED_BACKOFF_SECONDS}s, doubling each time; set ${FIXED_BACKOFF_SECONDS} or remove backoffSeconds`,
    })
  }
  if (retry.backoffMultiplier !== undefined && retry.backoffMultiplier !== FIXED_BACKOFF_MULTIPLIER) {
    issues.push({
      path: 'retry.backoffMultiplier',
      message: `Interlock doubles the backoff after each retry; set ${FIXED_BACKOFF_MULTIPLIER} or remove backoffMultiplier`,
    })
  }
  const listed = retry.retryableFailures ?? ['TRANSIENT', 'TIMEOUT']
  if (!Array.isArray(listed)) {
    issues.push({ path: 'retry.retryableFailures', message: `list categories: ${CATEGORIES.join(', ')}` })
    return {}
  }
  listed.forEach((category, index) => {
    if (!CATEGORIES.includes(String(category)))
      issues.push({
        path: `retry.retryableFailures[${index}]`,
        message: `unknown failure category ${JSON.stringify(category)}; use ${CATEGORIES.join(', ')}`,
      })
  })
  if (listed.includes('TRANSIENT') !== listed.includes('TIMEOUT')) {
    issues.push({
      path: 'retry.retryableFailures',
      message: 'TRANSIENT and TIMEOUT share one retry budget here; list both or neither',
    })
  }
  const retries = attempts - 1
  return {
    maxRetries: listed.includes('TRANSIENT') ? retries : 0,
    maxCodeRetries: listed.includes('PERMANENT') ? retries : 0,
  }
}

const DAY_MINUTES = 24 * 60
const pad = (n: number) => String(n).padStart(2, '0')
const durationText = (minutes: number) => `${Math.floor(minutes / 60)}h${pad(minutes % 60)}m`

/**
 * One seed 001 schedule: evaluated daily from `after` (a cron at that local time opens the period; midnight
 * without one) every `watch.interval`, until `validationTimeout` (else the deadline, else the day's end).
 */
const scheduleOf = (
  entry: Json,
  context: { readonly interval: unknown; readonly validationTimeout: unknown; readonly exclusions: Json },
  at: string,
  issues: Array<ConfigIssue>,
): Json => {
  issues.push(...unknownKeyIssues(entry, ['name', 'after', 'deadline', 'timezone'], at))
  const after = minutesOf(entry.after) ?? 0
  const until = minutesOf(context.validationTimeout) ?? minutesOf(entry.deadline) ?? DAY_MINUTES
  const window = until > after ? until - after : DAY_MINUTES - after
  return {
    ...entry,
    cron: `${after % 60} ${Math.floor(after / 60)} * * *`,
    evaluation: {
      window: durationText(window),
      ...(context.interval !== undefined ? { interval: seconds(context.interval) } : {}),
    },
    ...context.exclusions,
  }
}

/** `exclusions` (seed 001) as `schedule.exclude` / `schedule.calendar`. */
const exclusionsOf = (exclusions: unknown, issues: Array<ConfigIssue>): Json => {
  if (exclusions === undefined) return {}
  if (!isRecord(exclusions)) {
    issues.push({ path: 'exclusions', message: 'exclusions is a mapping: days, dates, calendar' })
    return {}
  }
  issues.push(...unknownKeyIssues(exclusions, ['days', 'dates', 'calendar'], 'exclusions'))
  const days = exclusions.days ?? []
  const weekend = ['saturday', 'sunday']
  const lower = Array.isArray(days) ? days.map((day) => String(day).toLowerCase()) : []
  const weekends = lower.length > 0 && lower.every((day) => weekend.includes(day)) && lower.length === 2
  if (lower.length > 0 && !weekends) {
    issues.push({
      path: 'exclusions.days',
      message:
        'days excludes Saturday and Sunday together here; put other weekdays in a calendar (days: […]) and name it in exclusions.calendar',
    })
  }
  const exclude = {
    ...(weekends ? { weekends: true } : {}),
    ...(exclusions.dates !== undefined ? { dates: exclusions.dates } : {}),
  }
  return {
    ...(Object.keys(exclude).length > 0 ? { exclude } : {}),
    ...(exclusions.calendar !== undefined ? { calendar: exclusions.calendar } : {}),
  }
}

/**
 * `sla` (seed 001): `completionDeadline` is the breach deadline; `evaluationDeadline`, earlier, is when the
 * warning fires (expectedDuration = completion − evaluation); `validationTimeout` ends the evaluation
 * window (see scheduleOf); `timezone` as is.
 */
const slaOf = (sla: Json, issues: Array<ConfigIssue>): Json | undefined => {
  issues.push(
    ...unknownKeyIssues(
      sla,
      ['evaluationDeadline', 'completionDeadline', 'validationTimeout', 'timezone'],
      'sla',
    ),
  )
  const completion = minutesOf(sla.completionDeadline)
  const evaluation = minutesOf(sla.evaluationDeadline)
  if (sla.completionDeadline === undefined) {
    if (sla.evaluationDeadline !== undefined)
      issues.push({
        path: 'sla.evaluationDeadline',
        message: 'an evaluationDeadline warns before the completionDeadline; add completionDeadline',
      })
    return undefined
  }
  if (completion === undefined) {
    issues.push({ path: 'sla.completionDeadline', message: 'write the deadline as "HH:MM" (00:00–23:59)' })
    return undefined
  }
  if (sla.evaluationDeadline !== undefined && (evaluation === undefined || evaluation >= completion)) {
    issues.push({
      path: 'sla.evaluationDeadline',
      message: `write it as "HH:MM" before the completionDeadline ${String(sla.completionDeadline)}`,
    })
  }
  return {
    deadline: sla.completionDeadline,
    ...(evaluation !== undefined && evaluation < completion
      ? { expectedDuration: durationText(completion - evaluation) }
      : {}),
    ...(sla.timezone !== undefined ? { timezone: sla.timezone } : {}),
  }
}

/**
 * Maps a seed 001 pipeline onto this model's layout. `archetypes` are the ones `archetype:` may name (their
 * trait TTLs are kept for traits that do not set their own). Every problem with the seed keys comes back at
 * once; everything else is left to the pipeline schema.
 */
export const fromSeedLayout = (
  raw: Json,
  archetypes: ReadonlyArray<Archetype>,
): Either.Either<Json, ReadonlyArray<ConfigIssue>> => {
  const issues: Array<ConfigIssue> = [...unknownKeyIssues(raw, SEED_PIPELINE_KEYS, '')]
  const archetype = archetypes.find((each) => each.name === raw.archetype)
  const rules: Array<Json> = []
  if (raw.traits !== undefined) {
    if (!isRecord(raw.traits))
      issues.push({ path: 'traits', message: 'traits maps each trait type to its settings' })
    else
      for (const [type, trait] of Object.entries(raw.traits))
        rules.push(...traitRules(type, isRecord(trait) ? trait : {}, archetype, `traits.${type}`, issues))
  }
  const watch = isRecord(raw.watch) ? raw.watch : {}
  if (raw.watch !== undefined) issues.push(...unknownKeyIssues(watch, ['interval', 'monitoring'], 'watch'))
  const monitoring = isRecord(watch.monitoring) ? watch.monitoring : undefined
  if (monitoring !== undefined)
    issues.push(...unknownKeyIssues(monitoring, ['enabled', 'duration'], 'watch.monitoring'))
  const sla = isRecord(raw.sla) ? slaOf(raw.sla, issues) : undefined
  const context = {
    interval: watch.interval,
    validationTimeout: isRecord(raw.sla) ? raw.sla.validationTimeout : undefined,
    exclusions: exclusionsOf(raw.exclusions, issues),
  }
  const entries = Array.isArray(raw.schedules) ? raw.schedules : [{ name: 'default' }]
  const schedules = entries.map((entry, index) =>
    scheduleOf(isRecord(entry) ? entry : {}, context, `schedules[${index}]`, issues),
  )
  // Without `trigger:` the pipeline only reports readiness (seed 001's first model): `job: {type: none}`.
  const job = jobOf(raw.trigger) ?? { type: 'none' }
  if (raw.trigger === undefined && raw.retry !== undefined) {
    issues.push({
      path: 'retry',
      message:
        'retry retries a failed job; a pipeline without trigger only reports readiness and starts no job, so remove retry or add a trigger',
    })
  }
  if (issues.length > 0) return Either.left(issues)
  const converted: Json = {
    pipeline: {
      id: raw.name,
      ...(raw.owner !== undefined ? { owner: raw.owner } : {}),
      ...(raw.description !== undefined ? { description: raw.description } : {}),
      ...(raw.tier !== undefined ? { tier: raw.tier } : {}),
    },
    ...(raw.archetype !== undefined ? { extends: raw.archetype } : {}),
    schedules,
    ...(sla !== undefined ? { sla } : {}),
    validation: { trigger: 'ALL', rules },
    job: { ...job, ...(raw.retry !== undefined ? retryBudgets(raw.retry, issues) : {}) },
    ...(monitoring?.enabled === true
      ? {
          postRun: {
            rules: rules.filter((rule) => rule.check === 'equals'),
            ...(monitoring.duration !== undefined ? { sensorTimeout: seconds(monitoring.duration) } : {}),
          },
        }
      : {}),
  }
  return issues.length > 0 ? Either.left(issues) : Either.right(converted)
}
