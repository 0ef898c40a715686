import type { FailureCategory } from '@interlock/domain'
import { type TriggerError, triggerError } from '../failure/trigger-error.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'

const TRANSIENT_ERROR_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'PriorRequestNotComplete',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerException',
  'InternalServiceException',
  'InternalServiceError',
  'InternalServerError',
  'InternalFailure',
  'InternalError',
  'ServiceException',
  'ConcurrentRunsExceededException',
  'ConcurrentModificationException',
  'EC2ThrottledException',
  'ResourceConflictException',
])

const TIMEOUT_ERROR_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'])

interface SdkErrorShape {
  readonly name?: unknown
  readonly message?: unknown
  readonly $fault?: unknown
  readonly $metadata?: { readonly httpStatusCode?: unknown }
}

/**
 * The category of an AWS SDK error (spec §5.7): throttling, service-unavailable and other server faults
 * are TRANSIENT, timeouts TIMEOUT, and client faults (AccessDenied, Validation, not found, …) PERMANENT.
 * An error that never reached AWS (connection refused, reset) is TRANSIENT.
 */
export const categoryOfAwsError = (error: unknown): FailureCategory => {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape
  const name = typeof shape.name === 'string' ? shape.name : ''
  const status =
    typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined
  if (TIMEOUT_ERROR_NAMES.has(name)) return 'TIMEOUT'
  if (TRANSIENT_ERROR_NAMES.has(name)) return 'TRANSIENT'
  if (shape.$fault === 'server' || (status !== undefined && status >= 500) || status === 429)
    return 'TRANSIENT'
  if (shape.$fault === 'client' || (status !== undefined && status >= 400)) return 'PERMANENT'
  return 'TRANSIENT'
}

/** The text of an SDK error for a log line: `Name: message`, sanitised and cut short. */
export const describeAwsError = (error: unknown): string => {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape
  const name = typeof shape.name === 'string' ? shape.name : 'Error'
  const message = typeof shape.message === 'string' ? shape.message : String(error)
  return sanitizeBody(message === '' || message === name ? name : `${name}: ${message}`)
}

/** A TriggerError for a failed AWS call: `<prefix>: <Name>: <message>`, classified. */
export const awsFailure = (jobType: string, prefix: string, error: unknown): TriggerError =>
  triggerError(jobType, categoryOfAwsError(error), `${prefix}: ${describeAwsError(error)}`)
