import type { Either } from 'effect'

/**
 * A stream's decision logic as the command handler sees it: pure, synchronous, with everything it
 * may read besides state passed in as `context` (the current instant, the config and its version).
 */
export interface Decider<Command, State, Event, Rejection, Context> {
  readonly initialState: () => State
  readonly evolve: (state: State, event: Event) => State
  readonly decide: (
    command: Command,
    state: State,
    context: Context,
  ) => Either.Either<ReadonlyArray<Event>, Rejection>
}
