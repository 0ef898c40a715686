import {
  type FakeAnswer,
  type FakeServer,
  jsonBody,
  type RecordedRequest,
  startFakeServer,
} from './fake-server.ts'
import { answerFault, type Fault, ScriptedFaults } from './scripted-faults.ts'

/** An operation's answer: its output object, or a fault in the service's error format. */
export type OperationResult = Record<string, unknown> | Fault

export type Operation = (input: Record<string, unknown>, request: RecordedRequest) => OperationResult

export interface AwsJsonFake extends FakeServer {
  /** Scripted misbehaviour per operation name (`StartJobRun`, …). */
  readonly faults: ScriptedFaults
  /** The inputs each operation received, in order. */
  readonly calls: (operation: string) => ReadonlyArray<Record<string, unknown>>
}

const isFault = (result: OperationResult): result is Fault =>
  (result as Fault)._tag === 'Hang' || (result as Fault)._tag === 'Status'

/**
 * A fake of a service speaking the AWS JSON 1.0/1.1 protocol: POST `/`, the operation named by
 * `X-Amz-Target: <targetPrefix>.<Operation>`, JSON in and out, errors as `{"__type": …}`.
 */
export const startAwsJsonFake = async (
  targetPrefix: string,
  protocolVersion: '1.0' | '1.1',
  operations: Readonly<Record<string, Operation>>,
): Promise<AwsJsonFake> => {
  const faults = new ScriptedFaults()
  const calls = new Map<string, Array<Record<string, unknown>>>()
  const server = await startFakeServer((request): FakeAnswer => {
    const target = String(request.headers['x-amz-target'] ?? '')
    const operationName = target.startsWith(`${targetPrefix}.`) ? target.slice(targetPrefix.length + 1) : ''
    const input = (jsonBody(request) ?? {}) as Record<string, unknown>
    calls.set(operationName, [...(calls.get(operationName) ?? []), input])
    const fault = faults.take(operationName)
    if (fault !== undefined) return answerFault(fault, 'aws-json')
    const operation = operations[operationName]
    if (operation === undefined) {
      return answerFault(
        { _tag: 'Status', status: 400, errorType: 'UnknownOperationException', message: `unknown ${target}` },
        'aws-json',
      )
    }
    const result = operation(input, request)
    if (isFault(result)) return answerFault(result, 'aws-json')
    return {
      status: 200,
      headers: {
        'content-type': `application/x-amz-json-${protocolVersion}`,
        'x-amzn-requestid': 'fake-request-id',
      },
      body: result,
    }
  })
  return { ...server, faults, calls: (operation) => calls.get(operation) ?? [] }
}
