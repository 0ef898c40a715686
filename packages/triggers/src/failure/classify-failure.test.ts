import { describe, expect, it } from 'vitest'
import { classifyFailure } from './classify-failure.ts'
import { TriggerError, triggerError } from './trigger-error.ts'

describe('classifyFailure', () => {
  it('classifies a deadline as TIMEOUT', () => {
    expect(classifyFailure(new Error('context deadline exceeded'))).toBe('TIMEOUT')
    expect(classifyFailure(new DOMException('The operation timed out', 'TimeoutError'))).toBe('TIMEOUT')
  })

  it('classifies an HTTP 4xx status as PERMANENT', () => {
    expect(classifyFailure(new Error('trigger returned status 400: bad request'))).toBe('PERMANENT')
    expect(classifyFailure(new Error('trigger returned status 404: not found'))).toBe('PERMANENT')
  })

  it('classifies an HTTP 5xx status and network errors as TRANSIENT', () => {
    expect(classifyFailure(new Error('trigger returned status 500: internal error'))).toBe('TRANSIENT')
    expect(classifyFailure(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe('TRANSIENT')
    expect(classifyFailure(new Error('connection refused'))).toBe('TRANSIENT')
  })

  it('gives no category without an error', () => {
    expect(classifyFailure(null)).toBeUndefined()
    expect(classifyFailure(undefined)).toBeUndefined()
  })

  it('takes the category of a TriggerError, directly or through wrapping', () => {
    expect(classifyFailure(triggerError('http', 'PERMANENT', 'trigger returned status 404: nope'))).toBe(
      'PERMANENT',
    )
    const wrapped = new Error('execute trigger', {
      cause: new Error('inner', { cause: triggerError('http', 'TIMEOUT', 'no answer') }),
    })
    expect(classifyFailure(wrapped)).toBe('TIMEOUT')
    expect(classifyFailure(triggerError('glue', 'TRANSIENT', 'throttled'))).toBe('TRANSIENT')
  })
})

describe('TriggerError', () => {
  it('carries its category and a message equal to its detail', () => {
    const error = triggerError('http', 'PERMANENT', 'trigger returned status 404: not found')
    expect(error).toBeInstanceOf(TriggerError)
    expect(error._tag).toBe('TriggerError')
    expect(error.message).toBe('trigger returned status 404: not found')
    expect(error.category).toBe('PERMANENT')
  })
})
