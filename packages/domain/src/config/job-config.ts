import { ParseResult, Schema } from 'effect'
import { DurationFromString } from '../duration/duration.ts'
import { boundedInt } from './bounded-int.ts'
import {
  AirflowJobConfig,
  CommandJobConfig,
  DatabricksJobConfig,
  EmrJobConfig,
  EmrServerlessJobConfig,
  GlueJobConfig,
  HttpJobConfig,
  LambdaJobConfig,
  StepFunctionJobConfig,
} from './job-type-config.ts'
import { optional } from './optional.ts'

/** Defaults of the retry and poll budgets (C12, spec §1.7). Absent means default; an explicit 0 disables. */
export const DEFAULT_MAX_RETRIES = 2
export const DEFAULT_MAX_CODE_RETRIES = 1
export const DEFAULT_MAX_DRIFT_RERUNS = 1
export const DEFAULT_MAX_MANUAL_RERUNS = 1
export const DEFAULT_JOB_POLL_WINDOW_SECONDS = 3_600
const MIN_JOB_POLL_WINDOW_SECONDS = 60
const MAX_JOB_POLL_WINDOW_SECONDS = 86_400

/** `jobPollWindowSeconds`: 60–86400, or 0 meaning the default; decoded with 0 replaced by 3600. */
const JobPollWindowSeconds = Schema.transformOrFail(Schema.Number, Schema.Number, {
  strict: true,
  decode: (seconds, _options, ast) =>
    seconds === 0
      ? ParseResult.succeed(DEFAULT_JOB_POLL_WINDOW_SECONDS)
      : Number.isInteger(seconds) &&
          seconds >= MIN_JOB_POLL_WINDOW_SECONDS &&
          seconds <= MAX_JOB_POLL_WINDOW_SECONDS
        ? ParseResult.succeed(seconds)
        : ParseResult.fail(
            new ParseResult.Type(
              ast,
              seconds,
              `jobPollWindowSeconds must be a whole number from 60 to 86400 (how long a job is polled), or 0 for the default 3600, got ${seconds}`,
            ),
          ),
  encode: (seconds) => ParseResult.succeed(seconds),
}).annotations({ jsonSchema: { type: 'integer', minimum: 0, maximum: MAX_JOB_POLL_WINDOW_SECONDS } })

const budgets = {
  /** Automatic retries after a TRANSIENT or TIMEOUT job failure. */
  maxRetries: Schema.optionalWith(
    boundedInt('maxRetries', 0, 10, 'retries after a transient or timeout failure'),
    {
      default: () => DEFAULT_MAX_RETRIES,
    },
  ),
  /** Automatic retries after a PERMANENT job failure. */
  maxCodeRetries: Schema.optionalWith(
    boundedInt('maxCodeRetries', 0, 3, 'retries after a permanent failure'),
    {
      default: () => DEFAULT_MAX_CODE_RETRIES,
    },
  ),
  /** Reruns for data drift and late data, counted together. */
  maxDriftReruns: Schema.optionalWith(boundedInt('maxDriftReruns', 0, 5, 'reruns for drift and late data'), {
    default: () => DEFAULT_MAX_DRIFT_RERUNS,
  }),
  /** Reruns for any other reason, counted per reason. */
  maxManualReruns: Schema.optionalWith(boundedInt('maxManualReruns', 0, 5, 'manual reruns per reason'), {
    default: () => DEFAULT_MAX_MANUAL_RERUNS,
  }),
  /**
   * Callback-style jobs (seed 004's Step Functions task tokens): the most time between the job's start, or
   * its last heartbeat (`POST /api/runs/{attemptId}/heartbeat`), and the next; a missed one fails the attempt
   * as TIMEOUT. Absent: heartbeats are recorded but none is awaited.
   */
  heartbeatTimeout: optional(
    DurationFromString.pipe(
      Schema.filter((duration) => duration.millis >= 1_000 || 'heartbeatTimeout must be at least 1s', {
        jsonSchema: {},
      }),
    ),
  ),
  /** How long a started job is polled before the run times out, in seconds. */
  jobPollWindowSeconds: Schema.optionalWith(JobPollWindowSeconds, {
    default: () => DEFAULT_JOB_POLL_WINDOW_SECONDS,
  }),
}

const job = <Type extends string, Config extends Schema.Schema.AnyNoContext>(type: Type, config: Config) =>
  Schema.Struct({ type: Schema.Literal(type), config, ...budgets })

export const CommandJob = job('command', CommandJobConfig)
export const HttpJob = job('http', HttpJobConfig)
export const AirflowJob = job('airflow', AirflowJobConfig)
export const GlueJob = job('glue', GlueJobConfig)
export const EmrJob = job('emr', EmrJobConfig)
export const EmrServerlessJob = job('emr-serverless', EmrServerlessJobConfig)
export const StepFunctionJob = job('step-function', StepFunctionJobConfig)
export const DatabricksJob = job('databricks', DatabricksJobConfig)
export const LambdaJob = job('lambda', LambdaJobConfig)

/**
 * The `job` block: `type` picks the schema of `config`; the retry budgets and the poll window are decoded
 * with their defaults filled in.
 */
export const JobConfig = Schema.Union(
  CommandJob,
  HttpJob,
  AirflowJob,
  GlueJob,
  EmrJob,
  EmrServerlessJob,
  StepFunctionJob,
  DatabricksJob,
  LambdaJob,
).annotations({ identifier: 'JobConfig' })
export type JobConfig = typeof JobConfig.Type

/**
 * A field only a job gives meaning to, refused on a readiness-only pipeline with what it is for: decoding
 * anything into `Never` fails, with this message in place of "Expected never".
 */
const jobOnly = (field: string, purpose: string) =>
  optional(
    Schema.Never.annotations({
      message: () =>
        `${field} ${purpose}; a readiness-only pipeline (job type none) starts no job, so remove ${field} or give the job a type`,
    }),
  )

/**
 * `job: {type: none}`: a readiness-only pipeline (seed 001's pipeline without `trigger:`). Its periods are
 * evaluated and reported READY / NOT_READY with SLAs on readiness; a passing evaluation ends the run as
 * succeeded without starting anything. Reruns and drift re-evaluate readiness, so their budgets stay.
 */
export const NoJob = Schema.Struct({
  type: Schema.Literal('none'),
  config: jobOnly('config', 'holds the settings of the job to start'),
  maxRetries: jobOnly('maxRetries', 'is the retry budget of a failed job'),
  maxCodeRetries: jobOnly('maxCodeRetries', 'is the retry budget of a job that failed permanently'),
  heartbeatTimeout: jobOnly('heartbeatTimeout', 'is how long a running job may stay silent'),
  jobPollWindowSeconds: jobOnly('jobPollWindowSeconds', 'is how long a started job is polled'),
  maxDriftReruns: budgets.maxDriftReruns,
  maxManualReruns: budgets.maxManualReruns,
}).annotations({ identifier: 'NoJob' })
export type NoJob = typeof NoJob.Type

/**
 * A pipeline's `job` block: one of the nine job types, or `none` for a readiness-only pipeline. Code that
 * starts, polls or cancels a job narrows it to {@link JobConfig} first.
 */
// One flat union, so a decode error names the member `type` picks, not every member that did not match.
export const PipelineJob = Schema.Union(...JobConfig.members, NoJob).annotations({
  identifier: 'PipelineJob',
})
export type PipelineJob = typeof PipelineJob.Type

/** Does the pipeline start a job when it is ready (not a readiness-only pipeline)? */
export const startsJob = (job: PipelineJob): job is JobConfig => job.type !== 'none'

/** The nine job types. */
export const JobType = Schema.Literal(
  'command',
  'http',
  'airflow',
  'glue',
  'emr',
  'emr-serverless',
  'step-function',
  'databricks',
  'lambda',
)
export type JobType = typeof JobType.Type

/** The `job.config` schema of each type (used by the loader to accept keys in any letter case). */
export const JOB_CONFIG_SCHEMAS = {
  command: CommandJobConfig,
  http: HttpJobConfig,
  airflow: AirflowJobConfig,
  glue: GlueJobConfig,
  emr: EmrJobConfig,
  'emr-serverless': EmrServerlessJobConfig,
  'step-function': StepFunctionJobConfig,
  databricks: DatabricksJobConfig,
  lambda: LambdaJobConfig,
} as const

/** A struct's fields, or those of the struct a cross-field check refines (EMR's). */
const fieldsOf = (schema: (typeof JOB_CONFIG_SCHEMAS)[JobType]): Readonly<Record<string, unknown>> =>
  'fields' in schema ? schema.fields : schema.from.fields

/** The `job.config` keys of a job type, or undefined for a name that is not a job type. */
export const jobConfigKeys = (type: string): ReadonlyArray<string> | undefined =>
  Object.hasOwn(JOB_CONFIG_SCHEMAS, type)
    ? Object.keys(fieldsOf(JOB_CONFIG_SCHEMAS[type as JobType]))
    : undefined
