import type { TaggedEvent } from '@interlock/eventstore'
import type { Projection } from './projection.ts'

/**
 * Several projections as one: one subscription reads and decodes each batch once and applies it to every
 * member in the same transaction, in the order given. Catch-up costs one read of the log instead of one
 * per projection; the price is that a failing member holds the others back, and that they rebuild
 * together (the combined one has one checkpoint). Its name names the subscription, so running members
 * both alone and combined builds their tables twice: choose one.
 */
export function combineProjections<E extends TaggedEvent>(
  name: string,
  projections: ReadonlyArray<Projection<E>>,
): Projection<E> {
  const tables = projections.flatMap((projection) => projection.tables)
  const repeated = tables.find((table, index) => tables.indexOf(table) !== index)
  if (repeated !== undefined) {
    throw new Error(
      `table ${repeated} belongs to two of the projections combined as ${name}; each table has one projection`,
    )
  }
  return {
    name,
    tables,
    apply: async (events, tx) => {
      for (const projection of projections) await projection.apply(events, tx)
    },
  }
}
