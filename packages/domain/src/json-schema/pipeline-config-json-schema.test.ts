import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { LOADABLE_SAMPLES, ORDERS_DAILY_YAML } from '../config/sample-configs.ts'
import committed from './pipeline-config.schema.json' with { type: 'json' }
import { pipelineConfigJsonSchema } from './pipeline-config-json-schema.ts'
import { validateJsonSchema } from './validate-json-schema.ts'

const schema = pipelineConfigJsonSchema()
const validate = (value: unknown) => validateJsonSchema(schema as never, value)
const sample = (yaml: string) => parse(yaml, { schema: 'core' }) as Record<string, unknown>

describe('JSON Schema export of the pipeline config', () => {
  it.each(LOADABLE_SAMPLES)('accepts sample %s', (_name, yaml) => {
    expect(validate(sample(yaml))).toEqual([])
  })

  it('accepts the multi-schedule form (C14)', () => {
    const { schedule: _single, ...rest } = sample(ORDERS_DAILY_YAML)
    const config = {
      ...rest,
      sla: { deadline: '10:00' },
      schedules: [{ name: 'morning', after: '06:00', deadline: '09:00' }],
    }
    expect(validate(config)).toEqual([])
  })

  it('accepts a readiness-only job and refuses the fields only a job gives meaning to', () => {
    const config = sample(ORDERS_DAILY_YAML)
    expect(validate({ ...config, job: { type: 'none', maxManualReruns: 2 } })).toEqual([])
    expect(validate({ ...config, job: { type: 'none', maxRetries: 1 } })).not.toEqual([])
  })

  it('refuses an unknown key, naming it', () => {
    const config = sample(ORDERS_DAILY_YAML)
    const errors = validate({ ...config, job: { ...(config.job as object), max_retries: 3 } })
    expect(errors.join('\n')).toContain('max_retries')
  })

  it('refuses a wrong operator, a bad duration and an out-of-range budget', () => {
    const config = sample(ORDERS_DAILY_YAML)
    expect(
      validate({ ...config, validation: { rules: [{ key: 'a', check: 'regex', field: 'f' }] } }),
    ).not.toEqual([])
    expect(validate({ ...config, sla: { maxDuration: '1d' } })).not.toEqual([])
    expect(validate({ ...config, job: { ...(config.job as object), maxRetries: 11 } })).not.toEqual([])
  })

  it('is the committed file editors point at (regenerate: write pipelineConfigJsonSchema() to it)', () => {
    expect(committed).toEqual(schema)
  })
})
