import { Schema } from 'effect'

/** The envelope every event carries beside its payload: who asked, why, under which config. */
export const EventMetadata = Schema.Struct({
  commandId: Schema.optional(Schema.String),
  causationId: Schema.optional(Schema.String),
  correlationId: Schema.optional(Schema.String),
  actor: Schema.optional(Schema.String),
  configVersion: Schema.optional(Schema.Int),
  /** What the event is about, for readers that cannot parse it from the stream id (e.g. pipelineId, period). */
  tags: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
})
export type EventMetadata = typeof EventMetadata.Type

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Stored metadata is written only by EventStore.append from an EventMetadata, so reading it back picks
 * the known fields by type instead of running a Schema decode per event (readAll's hot loop); unknown
 * keys from newer code are dropped, not fatal.
 */
export function readMetadata(stored: unknown): EventMetadata {
  const metadata: Mutable<EventMetadata> = {}
  if (typeof stored !== 'object' || stored === null) return metadata
  const { commandId, causationId, correlationId, actor, configVersion, tags } = stored as Record<
    string,
    unknown
  >
  if (typeof commandId === 'string') metadata.commandId = commandId
  if (typeof causationId === 'string') metadata.causationId = causationId
  if (typeof correlationId === 'string') metadata.correlationId = correlationId
  if (typeof actor === 'string') metadata.actor = actor
  if (typeof configVersion === 'number' && Number.isInteger(configVersion)) {
    metadata.configVersion = configVersion
  }
  if (typeof tags === 'object' && tags !== null && !Array.isArray(tags)) {
    const strings = Object.entries(tags).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    )
    metadata.tags = Object.fromEntries(strings)
  }
  return metadata
}
