import type { Instant } from '@interlock/domain'

/** A position in a listing ordered by (instant, id) descending: the last row of the previous page. */
export interface TimeKeyset {
  readonly at: Instant
  readonly id: bigint
}
