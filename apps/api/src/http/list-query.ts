import { MAX_PAGE_SIZE } from '@interlock/projections'
import { Schema } from 'effect'

/** `?cursor=&limit=` of every listing: the cursor is the previous page's nextCursor, unchanged. */
export const PageQuery = Schema.Struct({
  cursor: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(1_000))),
  limit: Schema.optional(
    Schema.NumberFromString.pipe(
      Schema.int({ message: () => `limit is a whole number from 1 to ${MAX_PAGE_SIZE}` }),
      Schema.between(1, MAX_PAGE_SIZE, {
        message: () => `limit is a whole number from 1 to ${MAX_PAGE_SIZE}`,
      }),
    ),
  ),
})

/** The page of one listing, as every list route answers it. */
export const pageAnswer = <A, I>(item: Schema.Schema<A, I, never>, identifier: string) =>
  Schema.Struct({ items: Schema.Array(item), nextCursor: Schema.NullOr(Schema.String) }).annotations({
    identifier,
  })

/** Only the fields that are present, for query functions that take optional filters. */
export function present<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>
  }
}
