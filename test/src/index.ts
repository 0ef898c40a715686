// Public API of the end-to-end package: the protocol fakes of the external job services.
export {
  FAKE_AWS_CREDENTIALS,
  fakeAwsClientConfig,
  immediateRetryStrategy,
} from '../fakes/aws-client-config.ts'
export {
  type AwsJsonFake,
  type Operation,
  type OperationResult,
  startAwsJsonFake,
} from '../fakes/aws-json-fake.ts'
export {
  type DagRunDetails,
  type DagRunState,
  type FakeAirflow,
  type FakeAirflowOptions,
  startFakeAirflow,
} from '../fakes/fake-airflow.ts'
export {
  type FakeCloudWatchLogs,
  matchesFilterPattern,
  startFakeCloudWatchLogs,
} from '../fakes/fake-cloudwatch-logs.ts'
export {
  type DatabricksRunDetails,
  type DatabricksRunState,
  type FakeDatabricks,
  type FakeDatabricksOptions,
  startFakeDatabricks,
} from '../fakes/fake-databricks.ts'
export { type EmrStepDetails, type EmrStepState, type FakeEmr, startFakeEmr } from '../fakes/fake-emr.ts'
export {
  type EmrServerlessRunDetails,
  type EmrServerlessRunState,
  type FakeEmrServerless,
  startFakeEmrServerless,
} from '../fakes/fake-emr-serverless.ts'
export { type FakeGlue, type GlueRunDetails, type GlueRunState, startFakeGlue } from '../fakes/fake-glue.ts'
export {
  type FakeLambda,
  type InvocationResult,
  type RecordedInvocation,
  startFakeLambda,
} from '../fakes/fake-lambda.ts'
export {
  type FakeAnswer,
  type FakeHandler,
  type FakeResponse,
  type FakeServer,
  HANG,
  jsonBody,
  type RecordedRequest,
  startFakeServer,
} from '../fakes/fake-server.ts'
export {
  type ExecutionDetails,
  type ExecutionStatus,
  type FakeStepFunctions,
  startFakeStepFunctions,
} from '../fakes/fake-step-functions.ts'
export {
  answerFault,
  type Fault,
  hang,
  ScriptedFaults,
  statusFault,
  throttled,
  unavailable,
} from '../fakes/scripted-faults.ts'
export { after, type RunScript, type ScriptedRun, ScriptedRuns } from '../fakes/scripted-runs.ts'
export {
  type FakeSlack,
  type FakeSlackOptions,
  type SlackFault,
  type SlackMessage,
  slackApiError,
  slackHang,
  slackRateLimited,
  slackStatus,
  startFakeSlack,
} from '../fakes/slack.ts'
export {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookFault,
  type WebhookReceiver,
} from '../fakes/webhook-receiver.ts'
