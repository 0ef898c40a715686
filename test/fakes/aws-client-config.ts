/** Static credentials the fakes accept: the real SDK signs with them, nobody checks the signature. */
export const FAKE_AWS_CREDENTIALS = {
  accessKeyId: 'AKIDINTERLOCKFAKE',
  secretAccessKey: 'interlock-fake-secret',
}

/** What an AWS SDK v3 client needs to talk to a fake: its endpoint, a region, static credentials. */
export const fakeAwsClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'us-east-1',
  credentials: FAKE_AWS_CREDENTIALS,
  maxAttempts: 1,
})

interface RetryToken {
  getRetryCount(): number
  getRetryDelay(): number
}

const retryToken = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => 0 })

/**
 * An AWS SDK retry strategy that retries throttling, transient and 5xx errors up to `maxAttempts` in
 * all, without waiting: "5xx twice then 200" runs in milliseconds. Errors the SDK calls CLIENT_ERROR
 * are never retried.
 */
export const immediateRetryStrategy = (maxAttempts: number) => ({
  mode: 'standard',
  acquireInitialRetryToken: async (_scope: string): Promise<RetryToken> => retryToken(0),
  refreshRetryTokenForRetry: async (
    token: RetryToken,
    errorInfo: { errorType: string },
  ): Promise<RetryToken> => {
    if (errorInfo.errorType === 'CLIENT_ERROR' || token.getRetryCount() + 1 >= maxAttempts) {
      throw new Error(`no retry left after ${token.getRetryCount() + 1} attempt(s)`)
    }
    return retryToken(token.getRetryCount() + 1)
  },
  recordSuccess: (_token: RetryToken): void => {},
})
