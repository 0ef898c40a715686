import type { FailureCategory } from '@interlock/domain'
import { TriggerError } from './trigger-error.ts'

const MAX_CAUSE_DEPTH = 16

/**
 * The failure category of any error (spec §5.7): a TriggerError anywhere in the `cause` chain gives its
 * own category; otherwise a timeout is TIMEOUT, a message naming an HTTP 4xx status is PERMANENT and
 * everything else (network errors, 5xx) is TRANSIENT. `undefined` for no error at all.
 */
export const classifyFailure = (error: unknown): FailureCategory | undefined => {
  if (error === null || error === undefined) return undefined
  const found = findTriggerError(error)
  if (found !== undefined) return found.category
  if (isTimeout(error)) return 'TIMEOUT'
  if (textOf(error).includes('status 4')) return 'PERMANENT'
  return 'TRANSIENT'
}

const findTriggerError = (error: unknown): TriggerError | undefined => {
  let current: unknown = error
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current !== undefined && current !== null; depth++) {
    if (current instanceof TriggerError) return current
    current = current instanceof Error ? current.cause : undefined
  }
  return undefined
}

const isTimeout = (error: unknown): boolean => {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'TimeoutException'))
    return true
  const text = textOf(error)
  return text.includes('deadline exceeded') || text.includes('context deadline')
}

const textOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
