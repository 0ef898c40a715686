import { Either, Schema } from 'effect'
import type { RunCommand } from '../run/commands.ts'
import type { RunContext } from '../run/context.ts'
import { decide } from '../run/decide.ts'
import { RunEvent } from '../run/events.ts'
import { publicEventOf } from '../run/public-events.ts'
import type { RunRejection } from '../run/rejections.ts'
import { evolve, type RunState } from '../run/state.ts'
import type { Decision } from '../shared/decision.ts'
import { Instant } from '../shared/instant.ts'
import type { RunKey } from '../shared/run-key.ts'

// Shadow mode (issue #11): a candidate config registered beside the live one receives the same sensor
// readings in streams of its own, decided as a dry run (L10): it observes, it never starts anything.

/**
 * One observation of the shadow config, in a shadow run stream: the dry-run decision the run decider made
 * with the candidate. Wrapped in its own type so nothing that follows run events (read models, alerts, the
 * reactor) ever takes it for a decision of the live config.
 */
export const ShadowObserved = Schema.TaggedStruct('ShadowObserved', {
  /** The observation's instant, as every event of the log carries one. */
  at: Instant,
  observation: RunEvent,
}).annotations({ identifier: 'ShadowObserved' })
export type ShadowObserved = typeof ShadowObserved.Type

/** Every event of a shadow run stream (`shadowrun-<pipelineId>-<scheduleId>-<period>`). */
export const ShadowRunEvent = Schema.Union(ShadowObserved).annotations({ identifier: 'ShadowRunEvent' })
export type ShadowRunEvent = typeof ShadowRunEvent.Type

/** `shadowrun-<pipelineId>-<scheduleId>-<period>`: never read as a run stream (`run-…`). */
export const shadowRunStreamId = (run: RunKey): string =>
  `shadowrun-${run.pipelineId}-${run.scheduleId}-${run.period}`

/** Folds a shadow observation: the state of the run as the shadow config sees it. */
export const evolveShadowRun = (state: RunState, event: ShadowRunEvent): RunState =>
  evolve(state, event.observation)

/** Decides a run command with the shadow config forced to dry-run, each decided event wrapped. */
export const decideShadowRun = (
  command: RunCommand,
  state: RunState,
  context: RunContext,
): Decision<ShadowRunEvent, RunRejection> =>
  Either.map(decide(command, state, { ...context, config: { ...context.config, dryRun: true } }), (events) =>
    events.map(
      (observation): ShadowRunEvent => ({
        _tag: 'ShadowObserved',
        at: observation.at,
        observation,
      }),
    ),
  )

/** The public name of a shadow observation: `SHADOW_WOULD_TRIGGER` for `DRY_RUN_WOULD_TRIGGER`, and so on. */
export const shadowPublicType = (observation: RunEvent, run: RunKey): string | null => {
  const published = publicEventOf(observation, run)
  if (published === null) return null
  return `SHADOW_${published.type.replace(/^DRY_RUN_/, '')}`
}
