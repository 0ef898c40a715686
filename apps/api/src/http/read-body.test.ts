import { describe, expect, it } from 'vitest'
import { JsonTooDeep, MalformedJson } from './http-errors.ts'
import { jsonDepthExceeds, parseJson } from './read-body.ts'

describe('jsonDepthExceeds', () => {
  it('counts nesting of arrays and objects', () => {
    expect(jsonDepthExceeds('{"a":[{"b":1}]}', 3)).toBe(false)
    expect(jsonDepthExceeds('{"a":[{"b":[1]}]}', 3)).toBe(true)
  })

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds('{"a":"[[[[{{{{\\"[[[["}', 1)).toBe(false)
  })

  it('refuses a million brackets without building anything', () => {
    expect(jsonDepthExceeds('['.repeat(1_000_000), 32)).toBe(true)
  })
})

describe('parseJson', () => {
  it('names an empty body, a syntax error and deep nesting', () => {
    expect(() => parseJson('  ', 4)).toThrow(new MalformedJson({ reason: 'the body is empty' }))
    expect(() => parseJson('{"a":', 4)).toThrow(MalformedJson)
    expect(() => parseJson('[[[[[1]]]]]', 4)).toThrow(new JsonTooDeep({ maxDepth: 4 }))
    expect(parseJson('{"a":[1]}', 4)).toEqual({ a: [1] })
  })
})
