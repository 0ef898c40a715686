import { type FakeAnswer, type FakeServer, startFakeServer } from './fake-server.ts'
import { answerFault, ScriptedFaults, statusFault } from './scripted-faults.ts'

/** What one invocation returns: a payload and, for a failed function, its `X-Amz-Function-Error`. */
export interface InvocationResult {
  readonly payload: string
  readonly functionError?: string
  readonly status?: number
}

export interface RecordedInvocation {
  readonly functionName: string
  readonly invocationType: string
  readonly payload: string
}

export interface FakeLambda extends FakeServer {
  /** Faults of the `Invoke` operation. */
  readonly faults: ScriptedFaults
  readonly invocations: ReadonlyArray<RecordedInvocation>
  /** What the next invocations return, in order; afterwards `{"ok":true}`. */
  readonly nextResults: (...results: ReadonlyArray<InvocationResult>) => void
}

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/

/**
 * A fake AWS Lambda (REST JSON): `POST /2015-03-31/functions/{name}/invocations`, answering with the
 * payload as body and `X-Amz-Function-Error` for a function error. Functions `missing-*` do not exist.
 */
export const startFakeLambda = async (): Promise<FakeLambda> => {
  const faults = new ScriptedFaults()
  const invocations: RecordedInvocation[] = []
  const results: InvocationResult[] = []
  const server = await startFakeServer((request): FakeAnswer => {
    const match = INVOKE.exec(request.path)
    if (request.method !== 'POST' || match === null) {
      return answerFault(statusFault(404, 'ResourceNotFoundException', 'no such route'), 'rest-json')
    }
    const functionName = decodeURIComponent(match[1] ?? '')
    invocations.push({
      functionName,
      invocationType: String(request.headers['x-amz-invocation-type'] ?? ''),
      payload: request.body,
    })
    const fault = faults.take('Invoke')
    if (fault !== undefined) return answerFault(fault, 'rest-json')
    if (functionName.startsWith('missing-')) {
      return answerFault(
        statusFault(404, 'ResourceNotFoundException', `Function not found: ${functionName}`),
        'rest-json',
      )
    }
    const result = results.shift() ?? { payload: '{"ok":true}' }
    return {
      status: result.status ?? 200,
      headers: {
        'content-type': 'application/json',
        'x-amz-executed-version': '$LATEST',
        'x-amzn-requestid': `fake-invocation-${invocations.length}`,
        ...(result.functionError === undefined ? {} : { 'x-amz-function-error': result.functionError }),
      },
      body: result.payload,
    }
  })
  return { ...server, faults, invocations, nextResults: (...next) => results.push(...next) }
}
