import { Schema } from 'effect'

/**
 * How a job or trigger failure should be treated by the lifecycle (spec §5.7): PERMANENT failures spend
 * the `maxCodeRetries` budget and are never retried in-process, TRANSIENT and TIMEOUT spend `maxRetries`.
 */
export const FailureCategory = Schema.Literal('PERMANENT', 'TRANSIENT', 'TIMEOUT').annotations({
  identifier: 'FailureCategory',
})
export type FailureCategory = typeof FailureCategory.Type
