import { Schema } from 'effect'
import { DurationFromString } from '../duration/duration.ts'
import { optional } from './optional.ts'

const evaluatorOptions = {
  /** Sent to the evaluator as its JSON input. */
  config: optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  /** How long the evaluator may take before its result counts as FAIL. */
  timeout: optional(DurationFromString),
}

const NonBlank = Schema.String.pipe(
  Schema.filter((text) => text.trim() !== '' || 'must not be empty or only spaces', {
    jsonSchema: { type: 'string', pattern: '\\S' },
  }),
)

/**
 * An active evaluator (C15): Interlock produces the rule's sensor itself by running a command (JSON config on
 * stdin, `{"status":"PASS"|"FAIL","value":{…}}` on stdout) or POSTing to a URL, at each evaluation.
 */
export const EvaluatorConfig = Schema.Union(
  Schema.Struct({ command: NonBlank, ...evaluatorOptions }),
  Schema.Struct({ url: NonBlank, ...evaluatorOptions }),
).annotations({ identifier: 'EvaluatorConfig' })
export type EvaluatorConfig = typeof EvaluatorConfig.Type
