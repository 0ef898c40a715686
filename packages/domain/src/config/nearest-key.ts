const levenshtein = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/** Letters and digits only, lower-case: `max_retries`, `MaxRetries` and `max-retries` all read `maxretries`. */
const squash = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '')

/**
 * The known key an unknown one was probably meant to be: the same key in another spelling (snake_case,
 * other letter case), else the closest by edit distance within a third of its length (at least 2).
 */
export const nearestKey = (unknown: string, known: ReadonlyArray<string>): string | undefined => {
  const squashed = squash(unknown)
  const sameWord = known.find((key) => squash(key) === squashed)
  if (sameWord !== undefined) return sameWord
  const limit = Math.max(2, Math.floor(unknown.length / 3))
  let best: { key: string; distance: number } | undefined
  for (const key of known) {
    const distance = levenshtein(squashed, squash(key))
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { key, distance }
  }
  return best?.key
}
