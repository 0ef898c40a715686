/** How much of an error response body a message may quote (spec §5.8, ruling T4). */
export const ERROR_BODY_LIMIT_BYTES = 512

const decoder = new TextDecoder('utf-8', { fatal: false })

const isDroppedControl = (codePoint: number): boolean =>
  codePoint !== 0x0a && codePoint !== 0x09 && (codePoint <= 0x1f || (codePoint >= 0x7f && codePoint <= 0x9f))

/**
 * Makes a response body safe to put in a log line: keeps the first 512 bytes, decodes them as UTF-8
 * (invalid bytes become U+FFFD) and drops every control character except newline and tab, so a
 * hostile server cannot inject terminal escapes or forge log lines.
 */
export const sanitizeBody = (body: Uint8Array | string): string => {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
  const text = decoder.decode(bytes.subarray(0, ERROR_BODY_LIMIT_BYTES))
  let result = ''
  for (const character of text) {
    if (!isDroppedControl(character.codePointAt(0) ?? 0)) result += character
  }
  return result
}
