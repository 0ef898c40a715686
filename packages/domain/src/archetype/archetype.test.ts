import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import { encodePipelineConfig, parsePipelineConfig } from '../config/parse-pipeline-config.ts'
import type { Archetype } from './archetype.ts'
import { STARTER_ARCHETYPES } from './starter-archetypes.ts'

const pipeline = (extra: Record<string, unknown>) => ({
  pipeline: { id: 'daily-sales-rollup' },
  job: { type: 'command', config: { command: 'python scripts/run_pipeline.py' } },
  ...extra,
})

const load = (input: unknown, archetypes?: ReadonlyArray<Archetype>) =>
  Either.getOrThrow(parsePipelineConfig(input, archetypes === undefined ? {} : { archetypes }))

describe('starter archetypes (seed 001)', () => {
  it('ships batch-ingestion, streaming-enrichment and ml-feature-pipeline', () => {
    expect(STARTER_ARCHETYPES.map((archetype) => archetype.name)).toEqual([
      'batch-ingestion',
      'streaming-enrichment',
      'ml-feature-pipeline',
    ])
  })

  it.each([
    ['batch-ingestion', ['source-freshness', 'upstream-dependency', 'resource-availability']],
    ['streaming-enrichment', ['source-freshness', 'enrichment-source', 'resource-availability']],
    [
      'ml-feature-pipeline',
      ['source-freshness', 'upstream-dependency', 'resource-availability', 'model-registry'],
    ],
  ])('%s requires the traits seed 001 lists, each reporting PASS', (name, traits) => {
    const archetype = STARTER_ARCHETYPES.find((each) => each.name === name)
    const passRules = archetype?.rules.filter((rule) => rule.check === 'equals' && rule.value === 'PASS')
    expect(passRules?.map((rule) => rule.key)).toEqual(traits)
  })
})

describe('extends', () => {
  it('gives a pipeline the archetype’s rules', () => {
    const config = load(pipeline({ extends: 'batch-ingestion' }))
    expect(config.validation.rules.map((rule) => `${rule.key} ${rule.check}`)).toEqual([
      'source-freshness equals',
      'source-freshness age_lt',
      'upstream-dependency equals',
      'upstream-dependency age_lt',
      'resource-availability equals',
    ])
  })

  it('lets the pipeline’s rules override the template’s rules with the same key', () => {
    const config = load(
      pipeline({
        extends: 'batch-ingestion',
        validation: {
          rules: [{ key: 'source-freshness', check: 'age_lt', field: 'updatedAt', value: '1m' }],
        },
      }),
    )
    expect(config.validation.rules.map((rule) => `${rule.key} ${rule.check}`)).toEqual([
      'upstream-dependency equals',
      'upstream-dependency age_lt',
      'resource-availability equals',
      'source-freshness age_lt',
    ])
    expect(config.validation.rules[3]?.value).toEqual({ text: '1m', millis: 60_000 })
  })

  it('merging again changes nothing, so a stored config decodes to the same rules', () => {
    const config = load(pipeline({ extends: 'ml-feature-pipeline' }))
    expect(load(encodePipelineConfig(config))).toEqual(config)
  })

  it('accepts ANY with no own rules when an archetype brings them', () => {
    expect(
      load(pipeline({ extends: 'streaming-enrichment', validation: { trigger: 'ANY' } })).validation.rules,
    ).toHaveLength(4)
  })

  it('refuses an unknown archetype, suggesting the nearest name', () => {
    expect(parsePipelineConfig(pipeline({ extends: 'batch-ingest' }))).toEqual(
      Either.left([
        { path: 'extends', message: 'unknown archetype "batch-ingest"; did you mean "batch-ingestion"?' },
      ]),
    )
  })

  it('uses the archetypes it is given instead of the starters', () => {
    const custom: Archetype = {
      name: 'gold' as Archetype['name'],
      description: 'gold tier',
      rules: STARTER_ARCHETYPES[0]?.rules ?? ([] as never),
    }
    expect(
      Either.isLeft(parsePipelineConfig(pipeline({ extends: 'batch-ingestion' }), { archetypes: [custom] })),
    ).toBe(true)
    expect(load(pipeline({ extends: 'gold' }), [custom]).validation.rules).toHaveLength(5)
  })
})
