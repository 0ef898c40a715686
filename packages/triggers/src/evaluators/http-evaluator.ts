import type { OutboundHttp } from '../outbound/outbound-http.ts'
import { isTimeoutError } from '../outbound/transport-failure.ts'
import type { Redactor } from '../text/redact-secrets.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'
import { type EvaluatorResult, failed, parseEvaluatorOutput } from './evaluator-result.ts'

export interface HttpEvaluation {
  readonly url: string
  /** The evaluator's JSON input, the body of the POST. */
  readonly input: string
  readonly timeoutMs: number
  readonly http: OutboundHttp
  readonly redact: Redactor
}

/** How much of an error body a failure reason quotes. */
const QUOTED_BODY_CHARACTERS = 200

/**
 * Runs an HTTP evaluator (C15): POSTs the input as JSON through the outbound client (SSRF guard, circuit
 * breaker per host, deadline) and reads the same protocol from the answer. No answer in time, an error
 * status or a body that is not the protocol's JSON is a FAIL with the reason. The URL is never quoted,
 * since URLs may carry secrets; the host is.
 */
export const runHttpEvaluator = async (evaluation: HttpEvaluation): Promise<EvaluatorResult> => {
  const host = URL.canParse(evaluation.url) ? new URL(evaluation.url).host : 'an invalid URL'
  try {
    const response = await evaluation.http.send({
      method: 'POST',
      url: evaluation.url,
      headers: { accept: 'application/json' },
      body: evaluation.input,
      timeoutMs: evaluation.timeoutMs,
    })
    if (response.status < 200 || response.status >= 300) {
      const body = evaluation.redact(sanitizeBody(response.body)).slice(0, QUOTED_BODY_CHARACTERS)
      return failed(
        `evaluator at ${host} answered status ${response.status}${body === '' ? '' : `: ${body}`}`,
      )
    }
    return parseEvaluatorOutput(
      new TextDecoder().decode(response.body),
      `the answer of the evaluator at ${host}`,
    )
  } catch (error) {
    if (isTimeoutError(error)) {
      return failed(`evaluator at ${host} did not answer within ${evaluation.timeoutMs} ms`)
    }
    const message = error instanceof Error ? error.message : String(error)
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
    return failed(
      `evaluator at ${host} could not be reached: ${evaluation.redact(sanitizeBody(`${message}${cause}`))}`,
    )
  }
}
