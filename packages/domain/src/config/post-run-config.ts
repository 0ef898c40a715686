import { Schema } from 'effect'
import { type Duration, DurationFromString } from '../duration/duration.ts'
import { ValidationRule } from './validation-rule.ts'

export const DEFAULT_DRIFT_FIELD = 'sensor_count'
export const DEFAULT_SENSOR_TIMEOUT: Duration = { text: '2h', millis: 7_200_000 }

/**
 * The `postRun` block (spec §1.8): rules checked (always ALL) on sensors that arrive after a successful job,
 * and drift detection on `driftField`. `evaluation` is rejected as unknown (C10).
 */
export const PostRunConfig = Schema.Struct({
  rules: Schema.optionalWith(Schema.Array(ValidationRule), { default: () => [] }),
  driftField: Schema.optionalWith(
    Schema.String.pipe(
      Schema.filter(
        (field) => field !== '' || 'name the sensor field compared for drift, or leave driftField out',
        {
          jsonSchema: { type: 'string', minLength: 1 },
        },
      ),
    ),
    { default: () => DEFAULT_DRIFT_FIELD },
  ),
  /** Drift when |current − baseline| > threshold; 0 means any change. */
  driftThreshold: Schema.optionalWith(
    Schema.Number.pipe(
      Schema.filter((n) => n >= 0 || `driftThreshold must be 0 or more (0 = any change), got ${n}`, {
        jsonSchema: { type: 'number', minimum: 0 },
      }),
    ),
    { default: () => 0 },
  ),
  /** Grace period after success before POST_RUN_SENSOR_MISSING. */
  sensorTimeout: Schema.optionalWith(DurationFromString, { default: () => DEFAULT_SENSOR_TIMEOUT }),
}).annotations({ identifier: 'PostRunConfig' })
export type PostRunConfig = typeof PostRunConfig.Type
