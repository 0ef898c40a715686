import { describe, expect, it } from 'vitest'
import { sanitizeBody } from './sanitize-body.ts'

describe('sanitizeBody', () => {
  it('strips NUL and ESC', () => {
    expect(sanitizeBody('bad\x00input\x1b[31mred')).toBe('badinput[31mred')
  })

  it('keeps newline and tab, drops CR, DEL and C1 controls, replaces invalid bytes', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('bad\x00input\x1b[31mred\r\nline\ttab\x7fdel'),
      0xc2,
      0x85,
      ...new TextEncoder().encode('nel'),
      0xff,
    ])
    expect(sanitizeBody(bytes)).toBe('badinput[31mred\nline\ttabdelnel\uFFFD')
  })

  it('keeps the first 512 bytes', () => {
    expect(sanitizeBody('x'.repeat(1024))).toBe('x'.repeat(512))
  })

  it('cuts before stripping, so the result may be shorter than 512 characters', () => {
    expect(sanitizeBody('\x00'.repeat(10) + 'y'.repeat(600))).toBe('y'.repeat(502))
  })

  it('keeps whole multi-byte characters that fit', () => {
    expect(sanitizeBody('é'.repeat(300))).toBe('é'.repeat(256))
  })
})
