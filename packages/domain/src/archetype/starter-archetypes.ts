import { Schema } from 'effect'
import { Archetype } from './archetype.ts'

/**
 * The three starter archetypes of seed 001, expressed as rule templates. Each required trait becomes a
 * sensor of the same key whose `status` must be `PASS` (what an evaluator reports, C15); the traits seed 001
 * gives a TTL also get an age rule on `updatedAt` (a reading older than the TTL is stale).
 */
const passes = (key: string) => ({ key, check: 'equals', field: 'status', value: 'PASS' })
const freshWithin = (key: string, ttl: string) => ({ key, check: 'age_lt', field: 'updatedAt', value: ttl })

const STARTERS = [
  {
    name: 'batch-ingestion',
    description:
      'ETL and scheduled batch jobs: fresh source data, finished upstream pipelines, resources available',
    rules: [
      passes('source-freshness'),
      freshWithin('source-freshness', '5m'),
      passes('upstream-dependency'),
      freshWithin('upstream-dependency', '10m'),
      passes('resource-availability'),
    ],
  },
  {
    name: 'streaming-enrichment',
    description:
      'Stream processing and real-time enrichment: fresh source, enrichment source ready, resources available',
    rules: [
      passes('source-freshness'),
      freshWithin('source-freshness', '5m'),
      passes('enrichment-source'),
      passes('resource-availability'),
    ],
  },
  {
    name: 'ml-feature-pipeline',
    description:
      'ML feature engineering and training: fresh source, upstream done, resources and model registry ready',
    rules: [
      passes('source-freshness'),
      freshWithin('source-freshness', '5m'),
      passes('upstream-dependency'),
      freshWithin('upstream-dependency', '10m'),
      passes('resource-availability'),
      passes('model-registry'),
    ],
  },
]

/** `batch-ingestion`, `streaming-enrichment` and `ml-feature-pipeline`. */
export const STARTER_ARCHETYPES: ReadonlyArray<Archetype> = Schema.decodeUnknownSync(Schema.Array(Archetype))(
  STARTERS,
)
