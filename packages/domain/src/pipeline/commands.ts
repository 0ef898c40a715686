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

export const PipelineCommand = Schema.Union(
  RegisterPipelineConfig,
  RemovePipeline,
  PausePipeline,
  ResumePipeline,
)
export type PipelineCommand = typeof PipelineCommand.Type
