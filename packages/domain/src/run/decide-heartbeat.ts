import { accept, type Decision, nothing, reject } from '../shared/decision.ts'
import type { CheckHeartbeat, RecordHeartbeat } from './commands.ts'
import { heartbeatDue, locate, settle } from './decide-attempt.ts'
import { type Decide, event, stamp } from './decide-support.ts'
import type { RunEvent } from './events.ts'
import { AttemptNotFound, JobNotStartedYet, type RunRejection } from './rejections.ts'
import type { RunState } from './state.ts'

/**
 * The job of an attempt is alive (seed 004's task heartbeats): recorded, and the next one awaited within
 * `job.heartbeatTimeout`. A heartbeat of a superseded or finished attempt changes nothing; one before the
 * job's start is recorded is refused, so the job sends it again.
 */
export const decideRecordHeartbeat = (
  command: RecordHeartbeat,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const where = locate(state, ctx, command.attemptId)
  if (where instanceof AttemptNotFound) return reject(where)
  if (where.kind === 'past') return nothing
  const lifecycle = where.lifecycle
  if (lifecycle.status !== 'Polling')
    return reject(new JobNotStartedYet({ attemptId: command.attemptId, report: 'heartbeat' }))
  const sequence = lifecycle.heartbeats + 1
  return accept([
    event('JobHeartbeatRecorded', { ...stamp(ctx), attemptId: command.attemptId, sequence }),
    ...heartbeatDue(ctx, command.attemptId, sequence),
  ])
}

/**
 * `job.heartbeatTimeout` passed since heartbeat `sequence` (or the start): if no later heartbeat came and
 * the job is still running, it is presumed dead. The attempt fails as TIMEOUT and the retry rules apply.
 */
export const decideCheckHeartbeat = (
  command: CheckHeartbeat,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const lifecycle = state.lifecycle
  if (lifecycle.status !== 'Polling' || lifecycle.attempt.attemptId !== command.attemptId) return nothing
  if (lifecycle.heartbeats !== command.sequence) return nothing
  const timeout = ctx.config.job.heartbeatTimeout
  if (timeout === undefined) return nothing
  const timeoutMs = Math.round(timeout.millis)
  const missed = event('JobHeartbeatMissed', {
    ...stamp(ctx),
    attemptId: command.attemptId,
    runId: lifecycle.job.runId,
    timeoutMs,
    heartbeats: lifecycle.heartbeats,
    lastSignAt: lifecycle.lastSignAt,
  })
  const error =
    lifecycle.heartbeats === 0
      ? `no heartbeat within ${timeout.text} of the job's start`
      : `no heartbeat within ${timeout.text} of heartbeat ${lifecycle.heartbeats}`
  return accept([missed, ...settle(state, ctx, lifecycle, 'timeout', 'heartbeat', error, 'TIMEOUT')])
}
