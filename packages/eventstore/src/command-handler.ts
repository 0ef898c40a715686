import { Either } from 'effect'
import type pg from 'pg'
import type { TaggedEvent } from './codec.ts'
import type { Decider } from './decider.ts'
import { StreamVersionConflict } from './errors.ts'
import type { AppendResult, EventStore } from './event-store.ts'
import type { EventMetadata } from './metadata.ts'
import type { AppendGuard } from './sql.ts'

/** Bounded retry for version conflicts: someone else decided first, so reload and decide again. */
export const VERSION_CONFLICT_RETRY = { retries: 5, minDelayMs: 5, factor: 2, jitter: 0.5 } as const

export interface CommandOptions<Context, Event, State = unknown> extends EventMetadata {
  /** Builds the decision context once the stream is loaded (it may depend on the stream's version). */
  readonly context: (streamVersion: number) => Context | Promise<Context>
  /**
   * Work that must commit with the decided events or not at all (e.g. enqueuing the timers they ask for).
   * Given the events, it returns that work, or undefined when there is none: only then does the append
   * pay for a transaction of its own. The work runs after the append, never for a duplicate.
   */
  readonly withinAppend?: (events: ReadonlyArray<Event>) => ((tx: pg.ClientBase) => Promise<void>) | undefined
  /**
   * The stream already folded up to `version`, when the caller holds it (right after its own append): the
   * first try decides on it without reading the stream. The append still expects `version`, so a stale
   * state costs a conflict and a reload, never a wrong decision.
   */
  readonly from?: { readonly state: State; readonly version: number }
  /**
   * Another stream the decision context was read from (see AppendOptions.guard). When it has moved, the
   * StreamVersionConflict naming it is thrown to the caller, who must reload that context: deciding again
   * here on the same context could not help.
   */
  readonly guard?: AppendGuard
}

export type CommandOutcome<Event, Rejection, State = unknown> =
  | {
      readonly _tag: 'Accepted'
      /** The events this command appended (empty when it changed nothing, or when it was a duplicate). */
      readonly events: ReadonlyArray<Event>
      readonly append: AppendResult | undefined
      readonly streamVersion: number
      /** The stream folded up to `streamVersion` (not known for a duplicate, whose stream moved on). */
      readonly state?: State
    }
  | { readonly _tag: 'Rejected'; readonly rejection: Rejection; readonly streamVersion: number }

/**
 * The one entry point for commands, used alike by the API, timers and reactors: load the stream, fold
 * it, decide, append with the expected version. A version conflict reloads and decides again (bounded,
 * with jitter). A command id appended before appends nothing and answers Accepted with the original
 * append (the event store's idempotency).
 */
export async function handleCommand<
  All extends TaggedEvent,
  Command,
  State,
  Event extends All,
  Rejection,
  Context,
>(
  store: EventStore<All>,
  decider: Decider<Command, State, Event, Rejection, Context>,
  streamId: string,
  command: Command,
  options: CommandOptions<Context, Event, State>,
): Promise<CommandOutcome<Event, Rejection, State>> {
  const { context: contextFor, withinAppend, from, ...metadata } = options
  for (let attempt = 0; ; attempt++) {
    const { state, version } =
      attempt === 0 && from !== undefined ? from : await loadStream(store, decider, streamId)
    const decision = decider.decide(command, state, await contextFor(version))
    // A held state is trusted only as far as an append checks it: a refusal or a no-op decided on it is
    // decided again on the stream as it is, unless the stream is still at the held version.
    const unchecked = Either.isLeft(decision) || decision.right.length === 0
    if (
      attempt === 0 &&
      from !== undefined &&
      unchecked &&
      (await store.streamVersion(streamId)) !== version
    ) {
      continue
    }
    if (Either.isLeft(decision)) {
      // A repeat of a command that was accepted before may be refused by the state it produced.
      const earlier =
        metadata.commandId === undefined ? undefined : await store.findCommand(metadata.commandId)
      if (earlier !== undefined) return duplicateOf(earlier, version)
      return { _tag: 'Rejected', rejection: decision.left, streamVersion: version }
    }
    const events = decision.right
    if (events.length === 0) {
      return { _tag: 'Accepted', events, append: undefined, streamVersion: version, state }
    }
    try {
      const expected = version === 0 ? 'no_stream' : version
      const work = withinAppend?.(events)
      const append =
        work === undefined
          ? await store.append(streamId, expected, events, metadata)
          : await store.transaction(async (tx) => {
              const appended = await store.append(streamId, expected, events, { ...metadata, tx })
              if (!appended.duplicate) await work(tx)
              return appended
            })
      if (append.duplicate) return { _tag: 'Accepted', events: [], append, streamVersion: version }
      return {
        _tag: 'Accepted',
        events,
        append,
        streamVersion: append.nextExpectedVersion,
        state: events.reduce(decider.evolve, state),
      }
    } catch (error) {
      if (!(error instanceof StreamVersionConflict) || error.streamId !== streamId) throw error
      // Inside a transaction a repeated command id surfaces as a conflict: answer it as the duplicate it is.
      const earlier =
        metadata.commandId === undefined ? undefined : await store.findCommand(metadata.commandId)
      if (earlier !== undefined) return duplicateOf(earlier, version)
      if (attempt >= VERSION_CONFLICT_RETRY.retries) throw error
      await versionConflictBackoff(attempt)
    }
  }
}

/** Reads and folds a stream: its state and version (0 when empty). */
async function loadStream<All extends TaggedEvent, Command, State, Event extends All, Rejection, Context>(
  store: EventStore<All>,
  decider: Decider<Command, State, Event, Rejection, Context>,
  streamId: string,
): Promise<{ readonly state: State; readonly version: number }> {
  const recorded = await store.readStream(streamId)
  let state = decider.initialState()
  // A stream holds only its own decider's events; the store's codec knows every stream's.
  for (const { event } of recorded) state = decider.evolve(state, event as Event)
  return { state, version: recorded.length === 0 ? 0 : recorded[recorded.length - 1]!.streamVersion }
}

function duplicateOf<Event, Rejection, State>(
  append: AppendResult,
  version: number,
): CommandOutcome<Event, Rejection, State> {
  return { _tag: 'Accepted', events: [], append, streamVersion: version }
}

/** Waits before retry `attempt` (0-based) of a conflicted command: VERSION_CONFLICT_RETRY's delay, with jitter. */
export function versionConflictBackoff(attempt: number): Promise<void> {
  const { minDelayMs, factor, jitter } = VERSION_CONFLICT_RETRY
  const base = minDelayMs * factor ** attempt
  const delay = base * (1 - jitter + Math.random() * jitter * 2)
  return new Promise((resolve) => setTimeout(resolve, delay))
}
