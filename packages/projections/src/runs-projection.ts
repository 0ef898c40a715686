import type { InterlockEvent, RunKey } from '@interlock/domain'
import { isRunEvent, type RecordedRunEvent, runKeyOf } from './event-tags.ts'
import type { Projection } from './projection.ts'
import { attemptIdOf, evolveAttemptView, evolveRunView, openRun, startAttempt } from './run-log.ts'
import {
  type AttemptView,
  type RunView,
  selectAttemptsByRun,
  selectRunsByKey,
  upsertAttempts,
  upsertRuns,
} from './sql/runs.ts'

const identityOf = (run: RunKey): string => JSON.stringify([run.pipelineId, run.scheduleId, run.period])

/**
 * `runs` and `run_attempts`, the run log. Per batch: load the rows of the runs it touches (two queries),
 * fold its events in memory (`run-log.ts`), write back the rows that changed (two statements), so the cost
 * of a batch does not grow with its number of events.
 */
export const runsProjection: Projection<InterlockEvent> = {
  name: 'runs',
  tables: ['runs', 'run_attempts'],
  apply: async (events, tx) => {
    const batch: Array<{ readonly recorded: RecordedRunEvent; readonly run: RunKey }> = []
    const keys = new Map<string, RunKey>()
    for (const recorded of events) {
      if (!isRunEvent(recorded)) continue
      const run = runKeyOf(recorded)
      batch.push({ recorded, run })
      keys.set(identityOf(run), run)
    }
    if (batch.length === 0) return

    const touched = [...keys.values()]
    const runs = new Map<string, RunView>()
    for (const run of await selectRunsByKey(tx, touched)) runs.set(identityOf(run), run)
    const attempts = new Map<string, AttemptView>()
    for (const attempt of await selectAttemptsByRun(tx, touched)) attempts.set(attempt.attemptId, attempt)

    const changedRuns = new Set<string>()
    const changedAttempts = new Set<string>()
    for (const { recorded, run } of batch) {
      const event = recorded.event
      const identity = identityOf(run)
      const before = runs.get(identity)
      const after = evolveRunView(before ?? openRun(run, event.at), event)
      if (after !== before) {
        runs.set(identity, after)
        changedRuns.add(identity)
      }
      if (event._tag === 'AttemptStarted') {
        attempts.set(event.attemptId, startAttempt(run, event))
        changedAttempts.add(event.attemptId)
        continue
      }
      const attemptId = attemptIdOf(event)
      const attempt = attemptId === null ? undefined : attempts.get(attemptId)
      if (attempt === undefined) continue
      const next = evolveAttemptView(attempt, event)
      if (next !== attempt) {
        attempts.set(attempt.attemptId, next)
        changedAttempts.add(attempt.attemptId)
      }
    }

    if (changedRuns.size > 0) {
      await upsertRuns(
        tx,
        [...changedRuns].map((identity) => runs.get(identity)!),
      )
    }
    if (changedAttempts.size > 0) {
      await upsertAttempts(
        tx,
        [...changedAttempts].map((attemptId) => attempts.get(attemptId)!),
      )
    }
  },
}
