import { Schema } from 'effect'
import { Instant } from '../../shared/instant.ts'
import { ofAttempt } from './common.ts'

/**
 * The job of the live attempt reported that it is alive (`POST /api/runs/{attemptId}/heartbeat`, seed 004's
 * Step Functions task heartbeats). `sequence` counts the attempt's heartbeats from 1; with
 * `job.heartbeatTimeout` the next one is due within that time.
 */
export const JobHeartbeatRecorded = Schema.TaggedStruct('JobHeartbeatRecorded', {
  ...ofAttempt,
  sequence: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'JobHeartbeatRecorded' })

/**
 * No heartbeat came within `job.heartbeatTimeout` of the job's start or of its last heartbeat: the job is
 * presumed dead. The `JobFailed` (timeout, TIMEOUT, observed by `heartbeat`) that follows ends the attempt
 * and the retry rules apply to it.
 */
export const JobHeartbeatMissed = Schema.TaggedStruct('JobHeartbeatMissed', {
  ...ofAttempt,
  runId: Schema.String,
  timeoutMs: Schema.Int.pipe(Schema.positive()),
  heartbeats: Schema.Int.pipe(Schema.nonNegative()),
  /** The last heartbeat, or the job's start when none came. */
  lastSignAt: Instant,
}).annotations({ identifier: 'JobHeartbeatMissed' })
