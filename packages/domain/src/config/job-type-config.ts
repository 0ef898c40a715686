import { Schema } from 'effect'
import { optional } from './optional.ts'

/** A string that must hold something other than spaces. */
const Required = (what: string) =>
  Schema.String.pipe(
    Schema.filter((text) => text.trim() !== '' || `${what} must not be empty`, {
      jsonSchema: { type: 'string', pattern: '\\S' },
    }),
  )

const StringMap = Schema.Record({ key: Schema.String, value: Schema.String })
const Seconds = Schema.Number.pipe(
  Schema.filter(
    (n) => (Number.isInteger(n) && n > 0) || `timeout must be a whole number of seconds above 0, got ${n}`,
    {
      jsonSchema: { type: 'integer', exclusiveMinimum: 0 },
    },
  ),
)

/**
 * Per job type, the schema of `job.config` (spec §5.1). Keys are the camelCase names; the loader also accepts
 * them in any letter case (`dagID`, `workspaceURL`) as the original did, and rejects every other key (C2).
 * String fields may use the template variables of T2 and `${INTERLOCK_…}` variables where T3 allows.
 */
export const CommandJobConfig = Schema.Struct({
  /** Run without a shell, split on whitespace with quotes honoured (T7). Empty or blank is an error (C13). */
  command: Required('command'),
}).annotations({ identifier: 'CommandJobConfig' })
export type CommandJobConfig = typeof CommandJobConfig.Type

export const HttpJobConfig = Schema.Struct({
  url: Required('url'),
  method: Schema.optionalWith(Schema.String, { default: () => 'POST' }),
  headers: optional(StringMap),
  body: optional(Schema.String),
  /** Seconds per request; 30 when absent. */
  timeout: optional(Seconds),
}).annotations({ identifier: 'HttpJobConfig' })
export type HttpJobConfig = typeof HttpJobConfig.Type

export const AirflowJobConfig = Schema.Struct({
  url: Required('url'),
  dagId: Required('dagId'),
  headers: optional(StringMap),
  /** JSON text sent as the DAG run's `conf`. */
  body: optional(Schema.String),
  timeout: optional(Seconds),
}).annotations({ identifier: 'AirflowJobConfig' })
export type AirflowJobConfig = typeof AirflowJobConfig.Type

export const GlueJobConfig = Schema.Struct({
  jobName: Required('jobName'),
  /** Job arguments; `--par_day`/`--par_hour` are added unless set here (T2). */
  arguments: optional(StringMap),
}).annotations({ identifier: 'GlueJobConfig' })
export type GlueJobConfig = typeof GlueJobConfig.Type

/** The JAR AWS EMR runs a step's argument list with (`spark-submit …`, `hadoop-streaming …`). */
export const EMR_COMMAND_RUNNER_JAR = 'command-runner.jar'
/** The step name when none is configured: the pipeline and the period, rendered at start. */
export const EMR_DEFAULT_STEP_NAME = '{{pipelineId}}-{{period}}'

const EmrStepFields = Schema.Struct({
  clusterId: Required('clusterId'),
  /** The step's name (template variables rendered); `{{pipelineId}}-{{period}}` when absent. */
  stepName: optional(Required('stepName')),
  /** The JAR path of the step; command-runner.jar when absent and `arguments` is a list. */
  command: optional(Required('command')),
  /**
   * A list (seed 001: `["spark-submit", "s3://bucket/job.py"]`) is the step's Args in order; a mapping is
   * passed as `key=value` Args in config order.
   */
  arguments: optional(Schema.Union(Schema.Array(Schema.String), StringMap)),
})

export const EmrJobConfig = EmrStepFields.pipe(
  Schema.filter(
    (config) =>
      config.command !== undefined ||
      Array.isArray(config.arguments) || {
        path: ['command'],
        message: `command (the step's JAR) is required unless arguments is a list, which runs through ${EMR_COMMAND_RUNNER_JAR}`,
      },
    { jsonSchema: {} },
  ),
).annotations({ identifier: 'EmrJobConfig' })
export type EmrJobConfig = typeof EmrJobConfig.Type

export const EmrServerlessJobConfig = Schema.Struct({
  applicationId: Required('applicationId'),
  jobName: Required('jobName'),
  /** Optional beyond the original (spec §5.4.6 notes a bare StartJobRun is likely rejected by AWS). */
  executionRoleArn: optional(Schema.String),
  entryPoint: optional(Schema.String),
  entryPointArguments: optional(Schema.Array(Schema.String)),
  sparkSubmitParameters: optional(Schema.String),
}).annotations({ identifier: 'EmrServerlessJobConfig' })
export type EmrServerlessJobConfig = typeof EmrServerlessJobConfig.Type

export const StepFunctionJobConfig = Schema.Struct({
  stateMachineArn: Required('stateMachineArn'),
  /** Sent as the execution input (a JSON object). */
  arguments: optional(StringMap),
}).annotations({ identifier: 'StepFunctionJobConfig' })
export type StepFunctionJobConfig = typeof StepFunctionJobConfig.Type

export const DatabricksJobConfig = Schema.Struct({
  workspaceUrl: Required('workspaceUrl'),
  /** A string, as in the original (`jobId: 12345` unquoted is an error). */
  jobId: Required('jobId'),
  headers: optional(StringMap),
  arguments: optional(StringMap),
}).annotations({ identifier: 'DatabricksJobConfig' })
export type DatabricksJobConfig = typeof DatabricksJobConfig.Type

export const LambdaJobConfig = Schema.Struct({
  functionName: Required('functionName'),
  /** Raw payload text. */
  payload: optional(Schema.String),
}).annotations({ identifier: 'LambdaJobConfig' })
export type LambdaJobConfig = typeof LambdaJobConfig.Type
