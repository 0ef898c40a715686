import { describe, expect, it } from 'vitest'
import { nearestKey } from './nearest-key.ts'

describe('nearestKey', () => {
  const jobKeys = ['type', 'config', 'maxRetries', 'maxCodeRetries', 'maxDriftReruns', 'jobPollWindowSeconds']

  it('finds the camelCase key for a snake_case spelling', () => {
    expect(nearestKey('max_retries', jobKeys)).toBe('maxRetries')
  })

  it('finds the key for another letter case', () => {
    expect(nearestKey('MAXRETRIES', jobKeys)).toBe('maxRetries')
  })

  it('finds a key with a typo', () => {
    expect(nearestKey('maxRetires', jobKeys)).toBe('maxRetries')
  })

  it('suggests nothing for a key unlike any known one', () => {
    expect(nearestKey('owner', jobKeys)).toBeUndefined()
  })
})
