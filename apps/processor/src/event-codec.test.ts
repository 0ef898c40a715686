import { InterlockEvent } from '@interlock/domain'
import { makeEventCodec } from '@interlock/eventstore'
import { Arbitrary, Either, FastCheck as fc, Schema, SchemaAST } from 'effect'
import { describe, expect, it } from 'vitest'

const codec = makeEventCodec(InterlockEvent)

/**
 * Every member of the union that effect can generate values for (the five carrying a pipeline config or a
 * calendar hold schemas it cannot, and the Schema encodes those itself, whatever the codec's shortcut).
 */
function memberArbitraries(): { events: fc.Arbitrary<InterlockEvent>; members: number } {
  const arbitraries: Array<fc.Arbitrary<InterlockEvent>> = []
  const visit = (node: SchemaAST.AST): void => {
    if (SchemaAST.isUnion(node)) {
      node.types.forEach(visit)
      return
    }
    try {
      const arbitrary = Arbitrary.make(Schema.make(node)) as fc.Arbitrary<InterlockEvent>
      fc.sample(arbitrary, 1)
      arbitraries.push(arbitrary)
    } catch {
      // no arbitrary for this member
    }
  }
  visit(InterlockEvent.ast)
  return { events: fc.oneof(...arbitraries), members: arbitraries.length }
}
const { events: anyEvent, members } = memberArbitraries()
const encodeWithSchema = Schema.encodeEither(InterlockEvent)

/** What the store records for an event, by the union's own Schema: the reference the codec must match. */
function reference(event: InterlockEvent) {
  const encoded = encodeWithSchema(event)
  if (Either.isLeft(encoded)) return { refused: true as const }
  const { _tag, ...data } = encoded.right as { _tag: string }
  return { refused: false as const, type: _tag, data }
}

function codecResult(event: InterlockEvent) {
  try {
    const { type, data } = codec.encode(event)
    return { refused: false as const, type, data }
  } catch {
    return { refused: true as const }
  }
}

// A field of a valid event replaced by any JSON value (or a new field added): mostly events to refuse.
const mutated = fc
  .tuple(anyEvent, fc.string({ maxLength: 12 }), fc.jsonValue(), fc.nat())
  .map(([event, name, value, pick]) => {
    const fields = Object.keys(event).filter((field) => field !== '_tag')
    const field = fields.length === 0 || pick % 4 === 0 ? name : fields[pick % fields.length]!
    return { ...event, [field]: value } as InterlockEvent
  })

describe('the event codec on every InterlockEvent', () => {
  it('encodes each valid event exactly as the Schema does', () => {
    expect(members).toBeGreaterThanOrEqual(60)
    fc.assert(
      fc.property(anyEvent, (event) => {
        expect(codecResult(event)).toEqual(reference(event))
      }),
      { numRuns: 3_000 },
    )
  })

  it('refuses what the Schema refuses, and encodes the rest as it does', () => {
    fc.assert(
      fc.property(mutated, (event) => {
        expect(codecResult(event)).toEqual(reference(event))
      }),
      { numRuns: 3_000 },
    )
  })
})
