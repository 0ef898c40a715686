import { Either, Schema } from 'effect'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  plainSensorBatchEnvelope,
  plainSensorBatchItem,
  plainSensorData,
  plainSensorParams,
  SensorBatchEnvelope,
  SensorBatchItem,
  SensorData,
  SensorParams,
} from './sensors.ts'

const decode = Schema.decodeUnknownEither(SensorBatchItem, { errors: 'all', onExcessProperty: 'error' })

/** Values each field may take: valid ones and near misses (wrong type, wrong shape, a character too many). */
const pipelineId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._-]{1,130}$/),
  fc.constantFrom('', 'orders daily', 'orders/1', 'ordérs'),
  fc.integer(),
  fc.constant(null),
)
const key = fc.oneof(
  fc.stringMatching(/^[^\s#]{1,258}$/),
  fc.constantFrom('orders-landed#2026-03-01', 'orders#20260301T07', 'a#2026-3-1', 'has space', '#', ''),
  // Text the log cannot store (a NUL, half a surrogate pair), and a whole character outside the BMP.
  fc.constantFrom('orders\u0000count', 'orders-\ud83d', 'orders-\ud83d\ude00'),
  fc.boolean(),
)
const data = fc.oneof(
  fc.dictionary(fc.string(), fc.jsonValue()),
  // JSON.parse keeps "__proto__" as an own key; the Schema makes it the prototype.
  fc.constant(JSON.parse('{"__proto__": {"date": "2026-01-01"}, "count": 2}')),
  fc.constantFrom({ note: 'x\u0000' }, { tags: { '\udc00': 1 } }, { note: '\ud83d\ude00' }),
  fc.array(fc.integer()),
  fc.constantFrom(null, 'text', 3),
)
const id = fc.oneof(fc.stringMatching(/^[\x20-\x7e]{0,257}$/), fc.integer(), fc.constant(undefined))
const item = fc.record(
  { pipelineId, key, data, id, extra: fc.string() },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, unknown>>

/** The fast path is exactly the Schema where it answers: the Schema accepts, and decodes to the same value. */
function agrees<A, I>(schema: Schema.Schema<A, I, never>, plain: (raw: unknown) => A | undefined) {
  const decodeWith = Schema.decodeUnknownEither(schema, { errors: 'all', onExcessProperty: 'error' })
  return (raw: unknown) => {
    const fast = plain(raw)
    if (fast === undefined) return
    const decoded = decodeWith(raw)
    expect(Either.isRight(decoded)).toBe(true)
    expect(fast).toEqual(Either.getOrThrow(decoded))
  }
}

describe('plainSensorParams and plainSensorData (a single reading)', () => {
  it('accept only what SensorParams and SensorData accept, decoded as they decode it', () => {
    fc.assert(
      fc.property(
        fc.record({ id: pipelineId, key, extra: fc.string() }, { requiredKeys: [] }),
        agrees(SensorParams, plainSensorParams),
      ),
      { numRuns: 3_000 },
    )
    fc.assert(fc.property(fc.oneof(data, fc.jsonValue()), agrees(SensorData, plainSensorData)), {
      numRuns: 3_000,
    })
    expect(plainSensorParams({ id: 'orders-daily', key: 'landed#2026-03-01' })).toBeDefined()
  })
})

describe('plainSensorBatchItem (a batch)', () => {
  it('accepts only items the Schema accepts, and decodes them exactly as the Schema does', () => {
    fc.assert(
      fc.property(fc.oneof(item, fc.jsonValue()), (raw) => {
        const plain = plainSensorBatchItem(raw)
        if (plain === undefined) return
        const decoded = decode(raw)
        expect(Either.isRight(decoded)).toBe(true)
        expect(plain).toEqual(Either.getOrThrow(decoded))
      }),
      { numRuns: 5_000 },
    )
  })

  it('takes the common reading, with and without an id, from JSON as a sender writes it', () => {
    const items = JSON.parse(
      '[{"pipelineId":"orders-daily","key":"orders-count","data":{"count":1200,"date":"2026-03-01"}},' +
        '{"pipelineId":"orders.v2","key":"landed#2026-03-01T07","data":{},"id":"retry-7"}]',
    ) as unknown[]
    expect(items.map(plainSensorBatchItem)).toEqual(items.map((raw) => Either.getOrThrow(decode(raw))))
    expect(items.map(plainSensorBatchItem)).not.toContain(undefined)
  })
})

describe('plainSensorBatchEnvelope (a batch body)', () => {
  it('accepts only bodies SensorBatchEnvelope accepts, decoded as it decodes them', () => {
    const readings = fc.oneof(
      fc.array(fc.jsonValue(), { minLength: 0, maxLength: 3 }),
      fc.integer({ min: 999, max: 1_001 }).map((length) => Array.from({ length }, () => ({}))),
      fc.constantFrom(null, 'readings', { 0: {} }),
    )
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ readings, extra: fc.string() }, { requiredKeys: [] }),
          fc.jsonValue(),
          fc.constant(JSON.parse('{"__proto__": {"x": 1}, "readings": [{}]}')),
        ),
        agrees(SensorBatchEnvelope, plainSensorBatchEnvelope),
      ),
      { numRuns: 2_000 },
    )
    expect(plainSensorBatchEnvelope(JSON.parse('{"readings":[{"pipelineId":"a"}]}'))).toBeDefined()
    expect(plainSensorBatchEnvelope({ readings: [] })).toBeUndefined()
  })
})
