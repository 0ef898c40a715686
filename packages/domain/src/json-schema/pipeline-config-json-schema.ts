import { JSONSchema } from 'effect'
import { PipelineConfig } from '../config/pipeline-config.ts'

/**
 * The JSON Schema (draft-07) of a pipeline config file, generated from the `PipelineConfig` Schema, so
 * editors can complete and check YAML. It describes the file as written (durations as strings); checks
 * that span blocks (mutual exclusions, "maxDuration needs a trigger") are only in `parsePipelineConfig`.
 */
export const pipelineConfigJsonSchema = (): JSONSchema.JsonSchema7Root => JSONSchema.make(PipelineConfig)
