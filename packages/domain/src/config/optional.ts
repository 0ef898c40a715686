import { Schema } from 'effect'

/** An optional key that, when present, must hold a value of `schema` (no `undefined`; null is not absence). */
export const optional = <S extends Schema.Schema.All>(schema: S) =>
  Schema.optionalWith(schema, { exact: true })
