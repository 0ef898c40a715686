import { Schema } from 'effect'
import { PipelineConfig } from '../config/pipeline-config.ts'
import { Instant } from '../shared/instant.ts'

/** The first config of a pipeline (version 1). Its `at` is the pipeline's "monitoring since" (D10). */
export const PipelineConfigRegistered = Schema.TaggedStruct('PipelineConfigRegistered', {
  at: Instant,
  version: Schema.Int.pipe(Schema.positive()),
  hash: Schema.String,
  config: PipelineConfig,
}).annotations({ identifier: 'PipelineConfigRegistered' })

/** A new config version; runs decide with it from the next command on. */
export const PipelineConfigChanged = Schema.TaggedStruct('PipelineConfigChanged', {
  at: Instant,
  version: Schema.Int.pipe(Schema.positive()),
  hash: Schema.String,
  previousHash: Schema.String,
  config: PipelineConfig,
}).annotations({ identifier: 'PipelineConfigChanged' })

/** The pipeline is removed; nothing more is decided for it until it is registered again. */
export const PipelineConfigRemoved = Schema.TaggedStruct('PipelineConfigRemoved', {
  at: Instant,
  version: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'PipelineConfigRemoved' })

export const PipelinePaused = Schema.TaggedStruct('PipelinePaused', {
  at: Instant,
  reason: Schema.optional(Schema.String),
}).annotations({ identifier: 'PipelinePaused' })

export const PipelineResumed = Schema.TaggedStruct('PipelineResumed', {
  at: Instant,
}).annotations({ identifier: 'PipelineResumed' })

/**
 * A candidate config registered beside the live one (shadow mode, issue #11): it observes every sensor
 * reading as a dry run until it is promoted or discarded. Registering another one replaces it.
 */
export const ShadowConfigRegistered = Schema.TaggedStruct('ShadowConfigRegistered', {
  at: Instant,
  hash: Schema.String,
  config: PipelineConfig,
}).annotations({ identifier: 'ShadowConfigRegistered' })

/** The shadow config is dropped; its observations stay in the log. */
export const ShadowConfigDiscarded = Schema.TaggedStruct('ShadowConfigDiscarded', {
  at: Instant,
  hash: Schema.String,
}).annotations({ identifier: 'ShadowConfigDiscarded' })

/** The shadow config became the live one (`PipelineConfigChanged` to `version` follows, unless identical). */
export const ShadowConfigPromoted = Schema.TaggedStruct('ShadowConfigPromoted', {
  at: Instant,
  hash: Schema.String,
  version: Schema.Int.pipe(Schema.positive()),
}).annotations({ identifier: 'ShadowConfigPromoted' })

/** Every event of a pipeline stream (`pipeline-<id>`). */
export const PipelineEvent = Schema.Union(
  PipelineConfigRegistered,
  PipelineConfigChanged,
  PipelineConfigRemoved,
  PipelinePaused,
  PipelineResumed,
  ShadowConfigRegistered,
  ShadowConfigDiscarded,
  ShadowConfigPromoted,
).annotations({ identifier: 'PipelineEvent' })
export type PipelineEvent = typeof PipelineEvent.Type
