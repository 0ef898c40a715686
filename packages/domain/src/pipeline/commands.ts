import { Schema } from 'effect'
import { PipelineConfig } from '../config/pipeline-config.ts'

/** Register a validated config (C3); registering the same content again changes nothing. */
export const RegisterPipelineConfig = Schema.TaggedStruct('RegisterPipelineConfig', {
  config: PipelineConfig,
}).annotations({ identifier: 'RegisterPipelineConfig' })
export type RegisterPipelineConfig = typeof RegisterPipelineConfig.Type

export const RemovePipeline = Schema.TaggedStruct('RemovePipeline', {}).annotations({
  identifier: 'RemovePipeline',
})
export type RemovePipeline = typeof RemovePipeline.Type

export const PausePipeline = Schema.TaggedStruct('PausePipeline', {
  reason: Schema.optional(Schema.String),
}).annotations({ identifier: 'PausePipeline' })
export type PausePipeline = typeof PausePipeline.Type

export const ResumePipeline = Schema.TaggedStruct('ResumePipeline', {}).annotations({
  identifier: 'ResumePipeline',
})
export type ResumePipeline = typeof ResumePipeline.Type

/** Register a validated candidate config beside the live one (shadow mode, issue #11). */
export const RegisterShadowConfig = Schema.TaggedStruct('RegisterShadowConfig', {
  config: PipelineConfig,
}).annotations({ identifier: 'RegisterShadowConfig' })
export type RegisterShadowConfig = typeof RegisterShadowConfig.Type

/** Make the shadow config the live one. */
export const PromoteShadowConfig = Schema.TaggedStruct('PromoteShadowConfig', {}).annotations({
  identifier: 'PromoteShadowConfig',
})
export type PromoteShadowConfig = typeof PromoteShadowConfig.Type

/** Drop the shadow config. */
export const DiscardShadowConfig = Schema.TaggedStruct('DiscardShadowConfig', {}).annotations({
  identifier: 'DiscardShadowConfig',
})
export type DiscardShadowConfig = typeof DiscardShadowConfig.Type

export const PipelineCommand = Schema.Union(
  RegisterPipelineConfig,
  RemovePipeline,
  PausePipeline,
  ResumePipeline,
  RegisterShadowConfig,
  PromoteShadowConfig,
  DiscardShadowConfig,
)
export type PipelineCommand = typeof PipelineCommand.Type
