import { Either } from 'effect'

/**
 * What a decider returns: the events to append (possibly none), or a typed rejection that says which
 * rule the command broke. Synchronous and pure: the caller appends the events or reports the rejection.
 */
export type Decision<Event, Rejection> = Either.Either<ReadonlyArray<Event>, Rejection>

/** Accept a command with these events. */
export const accept = <Event>(events: ReadonlyArray<Event>): Either.Either<ReadonlyArray<Event>, never> =>
  Either.right(events)

/** Accept a command that changes nothing (an idempotent repeat, a timer that fired too late, …). */
export const nothing: Either.Either<ReadonlyArray<never>, never> = Either.right([])

/** Refuse a command. */
export const reject = <Rejection>(rejection: Rejection): Either.Either<never, Rejection> =>
  Either.left(rejection)

/** Exhaustiveness guard for switches over `_tag`: a new member that is not handled stops the build. */
export const unreachable = (value: never): never => {
  throw new Error(`unhandled case ${JSON.stringify(value)}: every command and event must have a branch`)
}
