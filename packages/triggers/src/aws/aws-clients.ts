import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { EMRClient } from '@aws-sdk/client-emr'
import { EMRServerlessClient } from '@aws-sdk/client-emr-serverless'
import { GlueClient, type GlueClientConfig } from '@aws-sdk/client-glue'
import { LambdaClient } from '@aws-sdk/client-lambda'
import { SFNClient } from '@aws-sdk/client-sfn'

/** The AWS SDK clients the AWS job types use, built once per process and shared. */
export interface AwsClients {
  readonly glue: GlueClient
  readonly logs: CloudWatchLogsClient
  readonly emr: EMRClient
  readonly emrServerless: EMRServerlessClient
  readonly stepFunctions: SFNClient
  readonly lambda: LambdaClient
}

/**
 * Client settings shared by every AWS client. Everything absent comes from the SDK's default chain
 * (region and credentials from the environment or instance role); `endpoint` points all clients at one
 * address (LocalStack, or the protocol fakes in tests).
 */
export type AwsClientSettings = Pick<
  GlueClientConfig,
  'region' | 'endpoint' | 'credentials' | 'maxAttempts' | 'retryStrategy'
>

/** Builds the six clients from one set of settings. */
export const makeAwsClients = (settings: AwsClientSettings = {}): AwsClients => ({
  glue: new GlueClient(settings),
  logs: new CloudWatchLogsClient(settings),
  emr: new EMRClient(settings),
  emrServerless: new EMRServerlessClient(settings),
  stepFunctions: new SFNClient(settings),
  lambda: new LambdaClient(settings),
})

/** Releases the clients' sockets at shutdown. */
export const destroyAwsClients = (clients: AwsClients): void => {
  for (const client of Object.values(clients)) client.destroy()
}
