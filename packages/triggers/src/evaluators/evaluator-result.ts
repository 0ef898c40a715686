import { unstorableText } from '@interlock/domain'
import { Either, ParseResult, Schema } from 'effect'
import { sanitizeBody } from '../text/sanitize-body.ts'

/** What an evaluator prints (seed 001's protocol): `{"status": "PASS"|"FAIL", "value": {…}}`. */
export const EvaluatorOutput = Schema.Struct({
  status: Schema.Literal('PASS', 'FAIL'),
  value: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
}).annotations({ identifier: 'EvaluatorOutput' })
export type EvaluatorOutput = typeof EvaluatorOutput.Type

/**
 * The verdict of one evaluator run. Never an error: a crash, a timeout, a bad answer are all FAIL with a
 * `reason` saying what went wrong, so the rule reading it fails and explain shows why (C15).
 */
export interface EvaluatorResult {
  readonly status: 'PASS' | 'FAIL'
  readonly value: Readonly<Record<string, unknown>>
  /** Why a FAIL is a FAIL when the evaluator did not say so itself (timeout, exit code, bad output). */
  readonly reason: string | undefined
}

const decodeOutput = Schema.decodeUnknownEither(EvaluatorOutput, { errors: 'all' })

/** How much of a bad answer is quoted in a reason. */
const QUOTED_OUTPUT_CHARACTERS = 200

/** Reads an evaluator's answer: JSON of the protocol's shape, or FAIL naming what is wrong with it. */
export const parseEvaluatorOutput = (text: string, what: string): EvaluatorResult => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    const quoted = sanitizeBody(text.trim()).slice(0, QUOTED_OUTPUT_CHARACTERS)
    return failed(
      `${what} is not JSON${quoted === '' ? ' (it is empty)' : `: ${quoted}`}; expected {"status":"PASS"|"FAIL","value":{…}}`,
    )
  }
  const decoded = decodeOutput(json)
  if (Either.isLeft(decoded)) {
    const problems = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)
      .map((issue) => `${issue.path.length === 0 ? '' : `${issue.path.join('.')}: `}${issue.message}`)
      .join('; ')
    return failed(`${what} does not follow the evaluator protocol (${problems})`)
  }
  const value = decoded.right.value ?? {}
  // Its value becomes a stored reading: text the log cannot hold would fail that write, not this check.
  const unstorable = unstorableText(value)
  if (unstorable !== undefined)
    return failed(`${what} answered value.${unstorable.path}, which ${unstorable.message}`)
  return { status: decoded.right.status, value, reason: undefined }
}

/** A FAIL that the evaluator did not report itself. */
export const failed = (reason: string): EvaluatorResult => ({
  status: 'FAIL',
  value: {},
  reason,
})
