import type { Instant } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import { instantOfDate, instantOrNull } from './instants.ts'

/** A row of `dead_letters` as pg returns it (int8 arrives as a string). */
export interface DeadLetterRow {
  readonly id: string
  readonly kind: string
  readonly key: string | null
  readonly payload: unknown
  readonly error: string
  readonly attempts: number
  readonly first_failed_at: Date
  readonly last_failed_at: Date
  readonly redriven_at: Date | null
}

/** A side effect that failed for good, kept until it is redriven. */
export interface DeadLetter {
  readonly id: bigint
  /** What failed: `alert`, `job-start`, … (the processor names its kinds). */
  readonly kind: string
  /** Identifies the failed work within its kind; a repeated failure of an open entry updates it. */
  readonly key: string | null
  /** Everything needed to perform the side effect again. */
  readonly payload: unknown
  /** The last error message. */
  readonly error: string
  /** Delivery attempts spent, over every failure recorded for this entry. */
  readonly attempts: number
  readonly firstFailedAt: Instant
  readonly lastFailedAt: Instant
  readonly redrivenAt: Instant | null
}

const deadLetterOf = (row: DeadLetterRow): DeadLetter => ({
  id: BigInt(row.id),
  kind: row.kind,
  key: row.key,
  payload: row.payload,
  error: row.error,
  attempts: row.attempts,
  firstFailedAt: instantOfDate(row.first_failed_at),
  lastFailedAt: instantOfDate(row.last_failed_at),
  redrivenAt: instantOrNull(row.redriven_at),
})

const COLUMNS = 'id, kind, key, payload, error, attempts, first_failed_at, last_failed_at, redriven_at'

/** A failure to record. */
export interface DeadLetterFailure {
  readonly kind: string
  readonly key?: string
  readonly payload: unknown
  readonly error: string
  /** Delivery attempts this failure spent (at least 1). */
  readonly attempts: number
  readonly failedAt: Instant
}

/**
 * Records a side effect that failed for good. With a `key`, a failure of work that already has an open
 * (not redriven) entry updates that entry: last error, payload, attempts added, last failure time.
 */
export async function recordDeadLetter(db: Queryable, failure: DeadLetterFailure): Promise<DeadLetter> {
  if (!Number.isInteger(failure.attempts) || failure.attempts < 1) {
    throw new RangeError(
      `a dead letter of kind ${failure.kind} was given attempts ${failure.attempts}; pass the number of delivery attempts spent, at least 1`,
    )
  }
  const { rows } = await db.query<DeadLetterRow>({
    name: 'projections_record_dead_letter',
    text: `insert into dead_letters (kind, key, payload, error, attempts, first_failed_at, last_failed_at)
           values ($1, $2, $3::jsonb, $4, $5, $6, $6)
           on conflict (kind, key) where redriven_at is null and key is not null do update set
             payload = excluded.payload, error = excluded.error,
             attempts = dead_letters.attempts + excluded.attempts, last_failed_at = excluded.last_failed_at
           returning ${COLUMNS}`,
    values: [
      failure.kind,
      failure.key ?? null,
      JSON.stringify(failure.payload),
      failure.error,
      failure.attempts,
      failure.failedAt,
    ],
  })
  return deadLetterOf(rows[0]!)
}

/**
 * Marks an open dead letter as redriven (its work was handed back to be performed again). Returns the
 * updated entry, or null when there is no open entry with this id (unknown, or redriven before).
 */
export async function markDeadLetterRedriven(
  db: Queryable,
  id: bigint,
  at: Instant,
): Promise<DeadLetter | null> {
  const { rows } = await db.query<DeadLetterRow>({
    name: 'projections_mark_dead_letter_redriven',
    text: `update dead_letters set redriven_at = $2 where id = $1 and redriven_at is null returning ${COLUMNS}`,
    values: [id.toString(), at],
  })
  const row = rows[0]
  return row === undefined ? null : deadLetterOf(row)
}

export async function getDeadLetter(db: Queryable, id: bigint): Promise<DeadLetter | null> {
  const { rows } = await db.query<DeadLetterRow>({
    name: 'projections_get_dead_letter',
    text: `select ${COLUMNS} from dead_letters where id = $1`,
    values: [id.toString()],
  })
  const row = rows[0]
  return row === undefined ? null : deadLetterOf(row)
}

/** Dead letters newest first (by id), open ones only unless asked, optionally of one kind, below `beforeId`. */
export async function selectDeadLetters(
  db: Queryable,
  options: {
    readonly kind: string | null
    readonly includeRedriven: boolean
    readonly beforeId: bigint | null
    readonly limit: number
  },
): Promise<ReadonlyArray<DeadLetter>> {
  const values: Array<unknown> = []
  const parameter = (value: unknown): string => {
    values.push(value)
    return `$${values.length}`
  }
  const where: Array<string> = []
  if (!options.includeRedriven) where.push('redriven_at is null')
  if (options.kind !== null) where.push(`kind = ${parameter(options.kind)}`)
  if (options.beforeId !== null) where.push(`id < ${parameter(options.beforeId.toString())}::bigint`)
  const { rows } = await db.query<DeadLetterRow>(
    `select ${COLUMNS} from dead_letters ${where.length === 0 ? '' : `where ${where.join(' and ')}`}
     order by id desc limit ${parameter(options.limit)}`,
    values,
  )
  return rows.map(deadLetterOf)
}
