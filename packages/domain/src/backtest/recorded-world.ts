import type { AttemptId } from '../shared/attempt-id.ts'
import { liveTimerSlot, type RecordedInputs, type ScheduledCommand } from './recorded-history.ts'
import type { ReplayWorld } from './replay-run.ts'

const shifted = (answer: ScheduledCommand, shiftMs: number): ScheduledCommand =>
  shiftMs === 0 ? answer : { ...answer, at: answer.at + shiftMs }

/**
 * The outside world as the history recorded it. A job start the candidate asks for is answered as the
 * live run's was when the live run asked for the same attempt's same try (same attempt number, same
 * cause): its answers keep their recorded durations, moved by the difference between the two requests.
 * Any other job start is unknown: the history cannot say how that job would have gone.
 */
export const recordedWorld = (history: RecordedInputs): ReplayWorld => {
  const shifts = new Map<AttemptId, number>()
  return {
    timerSlot: (timerId, fireAt) => liveTimerSlot(history, timerId, fireAt),
    jobStartRequested: (request, cause, now) => {
      const job = history.jobs.get(request.attemptId)
      const requestedAt = job?.requestedAt.get(request.triggerTry)
      const start = job?.startAnswers.get(request.triggerTry)
      if (job === undefined || requestedAt === undefined || start === undefined) return 'unknown'
      if (history.attemptCauses.get(request.attemptId) !== cause) return 'unknown'
      const shift = now - requestedAt
      if (start.command._tag !== 'RecordJobStarted') return [shifted(start, shift)]
      shifts.set(request.attemptId, shift)
      return [shifted(start, shift), ...job.completions.map((completion) => shifted(completion, shift))]
    },
    statusCheckRequested: (request, now, order) => {
      const job = history.jobs.get(request.attemptId)
      const shift = shifts.get(request.attemptId) ?? 0
      const answer = job?.pollAnswers.get(request.pollNumber)
      if (answer !== undefined) return [shifted(answer, shift)]
      // A check the live run never made (another poll interval): the job's state at that instant.
      const outcome = job?.polledOutcome
      const finished = outcome !== null && outcome !== undefined && now >= outcome.at + shift
      const status = finished && outcome.command._tag === 'RecordJobStatus' ? outcome.command : undefined
      return [
        {
          at: now,
          order,
          command: {
            _tag: 'RecordJobStatus',
            attemptId: request.attemptId,
            pollNumber: request.pollNumber,
            status: status?.status ?? 'running',
            ...(status?.message !== undefined ? { message: status.message } : {}),
            ...(status?.category !== undefined ? { category: status.category } : {}),
          },
        },
      ]
    },
  }
}
