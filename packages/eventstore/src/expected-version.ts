/**
 * What an append expects of its stream: an exact version (number of events already in it, 0 = empty),
 * `'no_stream'` (the stream must not exist yet), or `'any'` (no check).
 */
export type ExpectedVersion = number | 'no_stream' | 'any'

/** The encoding the append_events function takes: -1 any, 0 no stream, n exact. */
export function expectedVersionParameter(expected: ExpectedVersion): number {
  if (expected === 'any') return -1
  if (expected === 'no_stream') return 0
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(
      `expected version must be a non-negative integer, 'no_stream' or 'any'; got ${expected}`,
    )
  }
  return expected
}
