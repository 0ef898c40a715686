import type { RunKey } from '../../shared/run-key.ts'
import type { RecordedRun, ScheduledCommand } from '../recorded-history.ts'
import { type ReplayConfig, type ReplayWorld, replayRun } from '../replay-run.ts'

/**
 * A world whose jobs always start and succeed after `jobDurationMs` (at once, synchronously, when 0), and
 * whose timers fire on time: it turns sensor readings into a recorded history as a live run would have
 * written it. Used to build histories for tests and the benchmark.
 */
export const syntheticWorld = (jobDurationMs: number): ReplayWorld => {
  const startedAt = new Map<string, number>()
  return {
    timerSlot: () => undefined,
    jobStartRequested: (request, _cause, now, order) => {
      startedAt.set(request.attemptId, now)
      return [
        {
          at: now,
          order,
          command: {
            _tag: 'RecordJobStarted',
            attemptId: request.attemptId,
            triggerTry: request.triggerTry,
            jobType: request.jobType,
            runId: `job-${request.attemptId}`,
            metadata: {},
            synchronous: jobDurationMs === 0,
          },
        },
      ]
    },
    statusCheckRequested: (request, now, order) => [
      {
        at: now,
        order,
        command: {
          _tag: 'RecordJobStatus',
          attemptId: request.attemptId,
          pollNumber: request.pollNumber,
          status: now >= (startedAt.get(request.attemptId) ?? now) + jobDurationMs ? 'succeeded' : 'running',
        },
      },
    ],
  }
}

/** A recorded run made by replaying `inputs` with `live` in the synthetic world. */
export const syntheticHistory = (
  run: RunKey,
  inputs: ReadonlyArray<ScheduledCommand>,
  live: ReplayConfig,
  until: number,
  jobDurationMs = 0,
): RecordedRun => ({
  run,
  events: replayRun(run, inputs, live, syntheticWorld(jobDurationMs), until).recorded,
})
