import { Schema } from 'effect'
import { AttemptId } from '../../shared/attempt-id.ts'
import { Instant } from '../../shared/instant.ts'

/** The version of the pipeline config a decision was made under (pipeline stream, `PipelineConfigRegistered`). */
export const ConfigVersion = Schema.Int.pipe(Schema.positive()).annotations({ identifier: 'ConfigVersion' })

/** A sensor's data map as pushed (`{pipelineId, key, data}`, ruling R1): the fields rules read. */
export const SensorData = Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
  identifier: 'SensorData',
})
export type SensorData = typeof SensorData.Type

/** The sensors a rule set was evaluated against, by key, exactly as they were at that instant. */
export const SensorSnapshot = Schema.Record({ key: Schema.String, value: SensorData }).annotations({
  identifier: 'SensorSnapshot',
})
export type SensorSnapshot = typeof SensorSnapshot.Type

/** Why an attempt was started. */
export const AttemptCause = Schema.Literal(
  'sensor',
  'cron',
  'rerun',
  'job-retry',
  'recovered',
  'manual',
).annotations({
  identifier: 'AttemptCause',
})
export type AttemptCause = typeof AttemptCause.Type

/** Fields every decided run event carries: when, and under which config. */
export const decided = { at: Instant, configVersion: ConfigVersion }

/** Fields of an event about one attempt. */
export const ofAttempt = { attemptId: AttemptId, ...decided }
