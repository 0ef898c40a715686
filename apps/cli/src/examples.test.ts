import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCalendar, parsePipelineConfig } from '@interlock/domain'
import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import { EXAMPLES_DIR } from './paths.ts'

const filesOf = (folder: string) =>
  readdirSync(join(EXAMPLES_DIR, folder))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => ({ name, text: readFileSync(join(EXAMPLES_DIR, folder, name), 'utf8') }))

const calendars = filesOf('calendars').map(({ name, text }) => {
  const parsed = parseCalendar(text)
  if (Either.isLeft(parsed)) throw new Error(`${name}: ${JSON.stringify(parsed.left)}`)
  return parsed.right
})
const pipelines = filesOf('pipelines').map(({ name, text }) => ({
  name,
  parsed: parsePipelineConfig(text, {
    fileName: name,
    calendars: calendars.map((calendar) => calendar.name),
  }),
}))
const loaded = pipelines.flatMap(({ parsed }) => (Either.isRight(parsed) ? [parsed.right] : []))

describe('examples/', () => {
  it.each(pipelines.map(({ name, parsed }) => [name, parsed]))(
    '%s loads with parsePipelineConfig',
    (_name, parsed) => {
      expect(Either.isRight(parsed) ? [] : parsed.left).toEqual([])
    },
  )

  it('cover what the issue asks for: archetype, calendar, dry run, cron with an SLA, post-run drift, command jobs, evaluators', () => {
    expect(calendars.map((calendar) => calendar.name)).toContain('company-holidays')
    expect(loaded.some((config) => config.extends === 'batch-ingestion')).toBe(true)
    expect(loaded.some((config) => config.dryRun)).toBe(true)
    expect(
      loaded.some((config) => config.schedule?.cron !== undefined && config.sla?.deadline !== undefined),
    ).toBe(true)
    expect(loaded.some((config) => config.schedule?.exclude?.holidays === 'company-holidays')).toBe(true)
    expect(loaded.some((config) => config.postRun?.driftField === 'count')).toBe(true)
    expect(loaded.every((config) => config.job.type === 'command')).toBe(true)
    expect(
      loaded.some((config) => config.validation.rules.some((rule) => rule.evaluator !== undefined)),
    ).toBe(true)
    expect(loaded).toHaveLength(6)
  })
})
