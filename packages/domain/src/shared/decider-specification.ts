import { Either } from 'effect'
import { expect } from 'vitest'
import type { Decision } from './decision.ts'

/** A decider as the specification sees it: pure decide and evolve over one stream. */
export interface Decider<Command, State, Event, Rejection, Context> {
  readonly initialState: State
  readonly decide: (command: Command, state: State, context: Context) => Decision<Event, Rejection>
  readonly evolve: (state: State, event: Event) => State
}

/**
 * Given / when / then for deciders (STYLE rule 32, after Emmett's DeciderSpecification): fold the given
 * events, decide the command, compare the produced events (or the rejection). Test-only: never exported
 * from the package index.
 */
export const deciderSpecification =
  <Command, State, Event, Rejection extends { readonly _tag: string }, Context>(
    decider: Decider<Command, State, Event, Rejection, Context>,
  ) =>
  (given: ReadonlyArray<Event>) => ({
    when: (command: Command, context: Context) => {
      const state = given.reduce(decider.evolve, decider.initialState)
      const decision = decider.decide(command, state, context)
      const events = (): ReadonlyArray<Event> => {
        if (Either.isLeft(decision)) {
          throw new Error(
            `expected events, got the rejection ${decision.left._tag}: ${String(decision.left)}`,
          )
        }
        return decision.right
      }
      return {
        /** The produced events equal these, in order. */
        thenEmits: (expected: ReadonlyArray<Event>) => expect(events()).toEqual(expected),
        /** The produced events, for assertions on selected fields; returns them. */
        thenEvents: (check: (produced: ReadonlyArray<Event>) => void): ReadonlyArray<Event> => {
          const produced = events()
          check(produced)
          return produced
        },
        /** Nothing is appended. */
        thenNothing: () => expect(events()).toEqual([]),
        /** The command is refused with this rejection tag; returns the rejection for message checks. */
        thenRejects: (tag: Rejection['_tag']): Rejection => {
          if (Either.isRight(decision)) {
            throw new Error(`expected the rejection ${tag}, got events ${JSON.stringify(decision.right)}`)
          }
          expect(decision.left._tag).toBe(tag)
          return decision.left
        },
        /** The state after folding the given and the produced events. */
        thenState: (check: (after: State) => void) => check(events().reduce(decider.evolve, state)),
      }
    },
  })
