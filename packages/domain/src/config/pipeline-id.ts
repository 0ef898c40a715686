import { Schema } from 'effect'

/** What a pipeline id looks like (C1): 1–128 letters, digits, dots, underscores or hyphens. */
export const PIPELINE_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/

/** The pipeline's id (`pipeline.id`, C1). */
export const PipelineId = Schema.String.pipe(
  Schema.pattern(PIPELINE_ID_PATTERN, {
    message: (issue) =>
      `${JSON.stringify(issue.actual)} is not a pipeline id; use 1–128 letters, digits, dots, underscores or hyphens`,
  }),
  Schema.brand('PipelineId'),
).annotations({ identifier: 'PipelineId' })
export type PipelineId = typeof PipelineId.Type
