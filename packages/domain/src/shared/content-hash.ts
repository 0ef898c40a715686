/**
 * A stable content hash (FNV-1a, 64-bit, hex) of canonical JSON: keys sorted at every level. Versioned
 * streams (pipeline configs, calendars) record a new version only when this hash changes.
 */
export const contentHash = (value: unknown): string => {
  const canonical = (input: unknown): unknown =>
    Array.isArray(input)
      ? input.map(canonical)
      : input !== null && typeof input === 'object'
        ? Object.fromEntries(
            Object.keys(input)
              .sort()
              .map((key) => [key, canonical((input as Record<string, unknown>)[key])]),
          )
        : input
  let hash = 0xcbf29ce484222325n
  for (const byte of new TextEncoder().encode(JSON.stringify(canonical(value)))) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n)
  }
  return hash.toString(16).padStart(16, '0')
}
