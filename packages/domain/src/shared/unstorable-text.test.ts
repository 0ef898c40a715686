import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { holdsUnstorableText, mayHoldUnstorableText, unstorableText } from './unstorable-text.ts'

describe('unstorableText', () => {
  it('names the first string or key holding a NUL or half a surrogate pair, at any depth', () => {
    expect(unstorableText({ a: 'fine', b: ['x', { c: 'n\u0000' }] })).toMatchObject({
      path: 'b[1].c',
      message: expect.stringContaining('NUL character'),
    })
    expect(unstorableText({ tags: { '\ud83d': 1 } })).toMatchObject({
      path: 'tags.\ud83d (the key)',
      message: expect.stringContaining('surrogate'),
    })
    expect(unstorableText('\udc00')).toMatchObject({ path: '' })
    expect(unstorableText({ emoji: '\ud83d\ude00', n: 1, nothing: null, yes: true })).toBeUndefined()
  })

  it('agrees with holdsUnstorableText, and a JSON text without an escape for either never holds one', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '\u0000', '\ud83d', '\ude00', '\\', 'u', '"') })
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.integer(),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(text, tie('value'), { maxKeys: 3 }),
      ),
    })).value
    fc.assert(
      fc.property(json, (value) => {
        const holds = holdsUnstorableText(value)
        expect(unstorableText(value) !== undefined).toBe(holds)
        if (holds) expect(mayHoldUnstorableText(JSON.stringify(value))).toBe(true)
      }),
      { numRuns: 2_000 },
    )
  })
})
