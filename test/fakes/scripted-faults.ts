import { type FakeAnswer, HANG } from './fake-server.ts'

/** How one call of an operation misbehaves, instead of answering normally. */
export type Fault =
  | { readonly _tag: 'Hang' }
  | { readonly _tag: 'Status'; readonly status: number; readonly errorType: string; readonly message: string }

export const hang: Fault = { _tag: 'Hang' }

/** An HTTP error status with an error type (`ThrottlingException`, …) in the service's error format. */
export const statusFault = (
  status: number,
  errorType: string,
  message = `${errorType} from the fake`,
): Fault => ({
  _tag: 'Status',
  status,
  errorType,
  message,
})

/** AWS's throttling answer. */
export const throttled: Fault = statusFault(400, 'ThrottlingException', 'Rate exceeded')
/** A server-side failure (the 5xx family). */
export const unavailable: Fault = statusFault(503, 'ServiceUnavailableException', 'Service is unavailable')

/**
 * Per operation, a queue of faults that the next calls hit before the fake behaves again:
 * `faults.next('StartJobRun', unavailable, unavailable)` is "5xx twice, then 200".
 */
export class ScriptedFaults {
  readonly #queues = new Map<string, Fault[]>()

  /** Queues faults for the next calls of `operation`, in order. */
  next(operation: string, ...faults: ReadonlyArray<Fault>): void {
    this.#queues.set(operation, [...(this.#queues.get(operation) ?? []), ...faults])
  }

  /** Makes every later call of `operation` fail the same way. */
  always(operation: string, fault: Fault): void {
    this.#queues.set(operation, Array<Fault>(1_000).fill(fault))
  }

  /** The fault this call hits, if any; consumes it. */
  take(operation: string): Fault | undefined {
    return this.#queues.get(operation)?.shift()
  }
}

/** Renders a fault in a format: AWS JSON (`__type`), REST JSON (`x-amzn-ErrorType`) or plain text. */
export const answerFault = (fault: Fault, format: 'aws-json' | 'rest-json' | 'text'): FakeAnswer => {
  if (fault._tag === 'Hang') return HANG
  if (format === 'text') return { status: fault.status, body: fault.message }
  return {
    status: fault.status,
    headers: { 'x-amzn-errortype': fault.errorType, 'x-amzn-requestid': 'fake-request-id' },
    body:
      format === 'aws-json'
        ? { __type: fault.errorType, message: fault.message }
        : { message: fault.message },
  }
}
