import type { Queryable } from '@interlock/eventstore'
import { type DeadLetter, selectDeadLetters } from '../sql/dead-letters.ts'
import { idCursor } from './keysets.ts'
import { type Page, pageSize, readPage } from './page.ts'

/** Dead letters newest first: open ones, or all with `includeRedriven`; optionally of one kind. */
export async function listDeadLetters(
  db: Queryable,
  options: {
    readonly kind?: string
    readonly includeRedriven?: boolean
    readonly cursor?: string
    readonly limit?: number
  } = {},
): Promise<Page<DeadLetter>> {
  const before = idCursor.decode(options.cursor)
  return readPage(
    pageSize(options.limit),
    (limit) =>
      selectDeadLetters(db, {
        kind: options.kind ?? null,
        includeRedriven: options.includeRedriven ?? false,
        beforeId: before === null ? null : BigInt(before[0]),
        limit,
      }),
    (last) => idCursor.encode([last.id.toString()]),
  )
}
