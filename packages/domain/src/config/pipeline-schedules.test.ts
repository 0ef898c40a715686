import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import { parsePipelineConfig } from './parse-pipeline-config.ts'
import { pipelineSchedules } from './pipeline-schedules.ts'

const load = (input: unknown) => Either.getOrThrow(parsePipelineConfig(input))
const job = { type: 'command', config: { command: 'run' } }

describe('pipelineSchedules (C14)', () => {
  it('makes one schedule named default of schedule: and the pipeline sla', () => {
    const [only, ...rest] = pipelineSchedules(
      load({
        pipeline: { id: 'p' },
        job,
        schedule: { timezone: 'Europe/London' },
        sla: { deadline: '08:00' },
      }),
    )
    expect(rest).toEqual([])
    expect(only?.name).toBe('default')
    expect(only?.sla).toEqual({ deadline: '08:00', timezone: 'Europe/London', critical: false })
  })

  it('gives a pipeline without schedule: a default one in UTC', () => {
    const [only] = pipelineSchedules(load({ pipeline: { id: 'p' }, job }))
    expect(only).toMatchObject({ name: 'default', timezone: 'UTC', evaluation: { window: { text: '1h' } } })
    expect(only?.sla).toBeUndefined()
  })

  it('resolves each named schedule’s deadline and zone (seed 001 morning/evening)', () => {
    const schedules = pipelineSchedules(
      load({
        pipeline: { id: 'p' },
        job,
        sla: { deadline: '12:00', expectedDuration: '30m' },
        schedules: [
          { name: 'morning', after: '06:00', deadline: '09:00', timezone: 'America/New_York' },
          { name: 'evening', after: '18:00', timezone: 'Europe/London' },
        ],
      }),
    )
    expect(
      schedules.map((schedule) => [
        schedule.name,
        schedule.after,
        schedule.sla?.deadline,
        schedule.sla?.timezone,
      ]),
    ).toEqual([
      ['morning', '06:00', '09:00', 'America/New_York'],
      ['evening', '18:00', '12:00', 'Europe/London'],
    ])
    expect(schedules[0]?.sla?.expectedDuration).toEqual({ text: '30m', millis: 1_800_000 })
  })
})
