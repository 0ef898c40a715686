import { Schema } from 'effect'
import { AttemptId } from '../shared/attempt-id.ts'
import { Instant } from '../shared/instant.ts'

/**
 * The processor claims one trigger try of an attempt before it calls the job service. The claim stream
 * `job-claim-<attemptId>-<triggerTry>` may hold one event only (appended with `no_stream`), so whoever
 * appends it is the only one to start that job; a claim found without a recorded outcome means a
 * processor stopped between claiming and recording, and is resolved without starting the job again.
 */
export const JobStartClaimed = Schema.TaggedStruct('JobStartClaimed', {
  attemptId: AttemptId,
  triggerTry: Schema.Int.pipe(Schema.positive()),
  jobType: Schema.String,
  processorId: Schema.String,
  at: Instant,
}).annotations({ identifier: 'JobStartClaimed' })
export type JobStartClaimed = typeof JobStartClaimed.Type

export const JobClaimEvent = Schema.Union(JobStartClaimed).annotations({ identifier: 'JobClaimEvent' })
export type JobClaimEvent = typeof JobClaimEvent.Type

/** `job-claim-<attemptId>-<triggerTry>`. */
export const jobClaimStreamId = (attemptId: string, triggerTry: number): string =>
  `job-claim-${attemptId}-${triggerTry}`
