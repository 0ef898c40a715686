import { createHash } from 'node:crypto'
import type { RunContext } from '../text/template-variables.ts'

/**
 * A token that is the same for every start of one attempt and different for any other attempt, so a
 * start repeated after an unclear failure (a timeout after AWS accepted the call) finds the job it
 * already started instead of starting a second one.
 */
export const attemptToken = (context: RunContext): string =>
  createHash('sha256').update(`${context.pipelineId}\n${context.period}\n${context.attemptId}`).digest('hex')

const MAX_EXECUTION_NAME_LENGTH = 80
const HASH_SUFFIX_LENGTH = 16

/**
 * The Step Functions execution name of an attempt: `<pipelineId>-<period>-<attemptId>` with characters
 * Step Functions refuses replaced, shortened with a hash when longer than 80 characters.
 */
export const executionName = (context: RunContext): string => {
  const name = `${context.pipelineId}-${context.period}-${context.attemptId}`.replace(/[^A-Za-z0-9_.-]/g, '-')
  if (name.length <= MAX_EXECUTION_NAME_LENGTH) return name
  const prefix = name.slice(0, MAX_EXECUTION_NAME_LENGTH - HASH_SUFFIX_LENGTH - 1)
  return `${prefix}-${attemptToken(context).slice(0, HASH_SUFFIX_LENGTH)}`
}
