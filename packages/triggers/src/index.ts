// Public API of @interlock/triggers (see README.md): start, poll and cancel the job of a pipeline, classify every failure.
export { makeAirflowTrigger } from './airflow/airflow-trigger.ts'
export {
  type AwsClientSettings,
  type AwsClients,
  destroyAwsClients,
  makeAwsClients,
} from './aws/aws-clients.ts'
export { categoryOfAwsError } from './aws/aws-failure.ts'
export { makeCommandTrigger } from './command/command-trigger.ts'
export { splitArguments } from './command/split-arguments.ts'
export { makeDatabricksTrigger } from './databricks/databricks-trigger.ts'
export { makeEmrTrigger } from './emr/emr-trigger.ts'
export { makeEmrServerlessTrigger } from './emr-serverless/emr-serverless-trigger.ts'
export { EVALUATOR_OUTPUT_LIMIT_BYTES } from './evaluators/command-evaluator.ts'
export type { EvaluatorResult } from './evaluators/evaluator-result.ts'
export {
  DEFAULT_EVALUATOR_TIMEOUT_MS,
  type EvaluatorDependencies,
  type EvaluatorRunner,
  makeEvaluatorRunner,
} from './evaluators/evaluator-runner.ts'
export { classifyFailure } from './failure/classify-failure.ts'
export { TriggerError } from './failure/trigger-error.ts'
export { extractGlueFailureReason } from './glue/glue-false-success.ts'
export { makeGlueTrigger } from './glue/glue-trigger.ts'
export { makeHttpTrigger } from './http/http-trigger.ts'
export { makeLambdaTrigger } from './lambda/lambda-trigger.ts'
export { parseAllowList, refusalReason } from './outbound/address-policy.ts'
export { TargetAddressRefused } from './outbound/guarded-connector.ts'
export {
  type CircuitBreakerOptions,
  CircuitOpen,
  type CircuitState,
  DEFAULT_BREAKER_COOL_DOWN_MS,
  DEFAULT_BREAKER_THRESHOLD,
  type HostCircuit,
} from './outbound/host-circuit-breakers.ts'
export { type Cidr, parseCidr, parseIpAddress } from './outbound/ip-address.ts'
export { makeOutboundHttp, type OutboundHttp, type OutboundHttpOptions } from './outbound/outbound-http.ts'
export { type PollOutcome, type PollWindow, pollJob } from './poll-job.ts'
export { makeStepFunctionTrigger } from './step-function/step-function-trigger.ts'
export {
  expandEnvironment,
  type InterlockEnvironment,
  interlockEnvironment,
  mayRead,
  safeEnvironmentLookup,
  VariableNotAllowed,
} from './text/env-expansion.ts'
export { isSecretName, REDACTED, redactHeaders } from './text/redact-secrets.ts'
export { sanitizeBody } from './text/sanitize-body.ts'
export { type RunContext, renderTemplate, splitPeriod } from './text/template-variables.ts'
export { JobCancelled, JobHandle, JobStarted, JobStatus, type Trigger } from './trigger.ts'
export {
  makeTriggerRunner,
  type RunIdentity,
  type TriggerDependencies,
  type TriggerRunner,
  Triggers,
  type TriggersConfig,
  triggersLayer,
} from './triggers.ts'
