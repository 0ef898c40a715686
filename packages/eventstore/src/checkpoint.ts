/**
 * A position in the whole log, in commit-safe order: events are read ordered by the transaction that
 * wrote them, then by global position. Opaque to users as the string `<transactionId>:<position>`.
 */
export interface Checkpoint {
  readonly transactionId: bigint
  readonly position: bigint
}

/** Before the first event. */
export const START: Checkpoint = { transactionId: 0n, position: 0n }

const CHECKPOINT_TEXT = /^(\d{1,20}):(\d{1,19})$/

export function formatCheckpoint(checkpoint: Checkpoint): string {
  return `${checkpoint.transactionId}:${checkpoint.position}`
}

/** Parses `<transactionId>:<position>`; undefined when the text is not a checkpoint. */
export function parseCheckpoint(text: string): Checkpoint | undefined {
  const match = CHECKPOINT_TEXT.exec(text)
  if (match === null) return undefined
  return { transactionId: BigInt(match[1]!), position: BigInt(match[2]!) }
}

export function compareCheckpoints(a: Checkpoint, b: Checkpoint): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1
  if (a.position !== b.position) return a.position < b.position ? -1 : 1
  return 0
}
