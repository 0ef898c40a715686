import { FAKE_AWS_CREDENTIALS } from '../../src/index.ts'

const NAMES = [
  'AWS_ENDPOINT_URL_SFN',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_MAX_ATTEMPTS',
] as const

/**
 * Points the processor's Step Functions client at a fake. The processor builds its AWS clients from the
 * SDK's default chain (`makeAwsClients()` without settings), and `processorConfig` has no AWS endpoint
 * setting, so the standard SDK variables are the way in: `AWS_ENDPOINT_URL_SFN`, region, static
 * credentials. Vitest runs each test file in its own worker, and the returned function restores the
 * variables. Call it before `startInterlock`.
 */
export function useFakeStepFunctions(url: string): () => void {
  const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]))
  process.env.AWS_ENDPOINT_URL_SFN = url
  process.env.AWS_REGION = 'us-east-1'
  process.env.AWS_ACCESS_KEY_ID = FAKE_AWS_CREDENTIALS.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_AWS_CREDENTIALS.secretAccessKey
  process.env.AWS_MAX_ATTEMPTS = '1'
  return () => {
    for (const name of NAMES) {
      const value = saved[name]
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}
