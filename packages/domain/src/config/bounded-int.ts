import { Schema } from 'effect'

/** A whole number in [min, max]; the message names the field, the range and what the value means. */
export const boundedInt = (field: string, min: number, max: number, meaning: string) =>
  Schema.Number.pipe(
    Schema.filter(
      (value) =>
        (Number.isInteger(value) && value >= min && value <= max) ||
        `${field} must be a whole number from ${min} to ${max} (${meaning}), got ${value}`,
      { jsonSchema: { type: 'integer', minimum: min, maximum: max } },
    ),
  )
