import { Schema } from 'effect'

/**
 * How a job or trigger failure is treated by the lifecycle (lifecycle spec §1.8, ruling C12): PERMANENT
 * failures spend `job.maxCodeRetries`, TRANSIENT and TIMEOUT (and an unclassified failure) spend
 * `job.maxRetries`. The domain owns this literal so every package (triggers included) speaks the same one.
 */
export const FailureCategory = Schema.Literal('PERMANENT', 'TRANSIENT', 'TIMEOUT').annotations({
  identifier: 'FailureCategory',
})
export type FailureCategory = typeof FailureCategory.Type
