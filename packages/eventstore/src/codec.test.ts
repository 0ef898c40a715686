import { Schema } from 'effect'
import { describe, expect, it } from 'vitest'
import { makeEventCodec } from './codec.ts'

const Opened = Schema.TaggedStruct('Opened', {
  at: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/)),
  count: Schema.Int,
  data: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  note: Schema.optional(Schema.String),
})
const Moved = Schema.TaggedStruct('Moved', { when: Schema.DateFromString, by: Schema.NumberFromString })
const TestEvent = Schema.Union(Opened, Moved)
const codec = makeEventCodec(TestEvent)
const encodeWithSchema = Schema.encodeSync(TestEvent)

describe('makeEventCodec encode', () => {
  it('stores an event whose schema transforms nothing exactly as the Schema encodes it', () => {
    const event = {
      _tag: 'Opened',
      at: '2026-03-01',
      count: 3,
      data: { rows: 10, nested: { ok: true } },
    } as const
    const { _tag, ...payload } = encodeWithSchema(event)
    expect(codec.encode(event)).toEqual({ type: 'Opened', schemaVersion: 1, data: payload })
  })

  it('refuses an invalid event as the Schema does, whichever way it is encoded', () => {
    const invalid = {
      _tag: 'Opened',
      at: 'yesterday',
      count: 1.5,
      data: {},
    } as unknown as typeof TestEvent.Type
    expect(() => encodeWithSchema(invalid)).toThrow(/yesterday/)
    expect(() => codec.encode(invalid)).toThrow(/yesterday/)
  })

  it('leaves out a field the schema does not know, as the Schema does', () => {
    const wider = {
      _tag: 'Opened',
      at: '2026-03-01',
      count: 1,
      data: {},
      secret: 'x',
    } as typeof TestEvent.Type
    expect(codec.encode(wider).data).toEqual({ at: '2026-03-01', count: 1, data: {} })
  })

  it('encodes through the Schema an event whose fields transform', () => {
    const event = { _tag: 'Moved', when: new Date('2026-03-01T07:00:00.000Z'), by: 2 } as const
    expect(codec.encode(event)).toEqual({
      type: 'Moved',
      schemaVersion: 1,
      data: { when: '2026-03-01T07:00:00.000Z', by: '2' },
    })
  })
})

describe('makeEventCodec encode, nested structs', () => {
  const Nested = Schema.TaggedStruct('Nested', { inner: Schema.Struct({ a: Schema.String }) })
  const nestedCodec = makeEventCodec(Nested)

  it('drops a field a nested struct does not name, as the Schema does', () => {
    const event = { _tag: 'Nested', inner: { a: 'x', secret: 'y' } } as typeof Nested.Type
    expect(nestedCodec.encode(event).data).toEqual({ inner: { a: 'x' } })
  })
})
