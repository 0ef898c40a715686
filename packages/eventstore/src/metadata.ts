import { Schema } from 'effect'

/** The envelope every event carries beside its payload: who asked, why, under which config. */
export const EventMetadata = Schema.Struct({
  commandId: Schema.optional(Schema.String),
  causationId: Schema.optional(Schema.String),
  correlationId: Schema.optional(Schema.String),
  actor: Schema.optional(Schema.String),
  configVersion: Schema.optional(Schema.Int),
})
export type EventMetadata = typeof EventMetadata.Type

const decodeMetadata = Schema.decodeUnknownSync(EventMetadata)

/** Stored metadata is ours; unknown keys (from newer code) are dropped, not fatal. */
export function readMetadata(stored: unknown): EventMetadata {
  return decodeMetadata(stored ?? {}, { onExcessProperty: 'ignore' })
}
