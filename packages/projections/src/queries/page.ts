import { Either, Schema } from 'effect'

/** One page of a listing; pass `nextCursor` back to read the next one (null: this was the last). */
export interface Page<T> {
  readonly items: ReadonlyArray<T>
  readonly nextCursor: string | null
}

/** Rows per page when the caller does not say, and the most one page may hold. */
export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 500

/** A page request the listing cannot serve: a cursor it did not issue, or a page size out of range. */
export class InvalidPageRequest extends Schema.TaggedError<InvalidPageRequest>()('InvalidPageRequest', {
  field: Schema.Literal('cursor', 'limit'),
  value: Schema.String,
}) {
  override get message(): string {
    return this.field === 'cursor'
      ? `The cursor ${JSON.stringify(this.value)} is not one this listing returned; pass nextCursor from the previous page unchanged, or omit it to read the first page.`
      : `The page size ${this.value} is out of range; ask for 1 to ${MAX_PAGE_SIZE} rows, or omit limit for ${DEFAULT_PAGE_SIZE}.`
  }
}

/** The page size to read: `limit` when it is an integer in 1..MAX_PAGE_SIZE, else InvalidPageRequest. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InvalidPageRequest({ field: 'limit', value: String(limit) })
  }
  return limit
}

/** A cursor is the keyset of the page's last row, as base64url JSON: opaque to callers, never trusted. */
export function cursorCodec<A, I>(keyset: Schema.Schema<A, I>) {
  const schema = Schema.compose(Schema.StringFromBase64Url, Schema.parseJson(keyset))
  const decode = Schema.decodeUnknownEither(schema)
  const encode = Schema.encodeSync(schema)
  return {
    encode: (value: A): string => encode(value),
    decode: (cursor: string | undefined): A | null => {
      if (cursor === undefined) return null
      const decoded = decode(cursor)
      if (Either.isLeft(decoded)) throw new InvalidPageRequest({ field: 'cursor', value: cursor })
      return decoded.right
    },
  }
}

/**
 * Reads one row more than the page holds to learn whether another page follows, and turns the last row
 * kept into the next cursor.
 */
export async function readPage<T>(
  limit: number,
  read: (rows: number) => Promise<ReadonlyArray<T>>,
  cursorOf: (last: T) => string,
): Promise<Page<T>> {
  const rows = await read(limit + 1)
  if (rows.length <= limit) return { items: rows, nextCursor: null }
  const items = rows.slice(0, limit)
  return { items, nextCursor: cursorOf(items[items.length - 1]!) }
}
