import { describe, expect, it } from 'vitest'
import { matchesFilterPattern } from './fake-cloudwatch-logs.ts'

describe('matchesFilterPattern', () => {
  it('matches a plain term anywhere in the message', () => {
    expect(
      matchesFilterPattern('GlueExceptionAnalysisJobFailed', '{"Event":"GlueExceptionAnalysisJobFailed"}'),
    ).toBe(true)
    expect(matchesFilterPattern('GlueExceptionAnalysisJobFailed', '{"Event":"JobSucceeded"}')).toBe(false)
  })

  it('matches any one of the ?-prefixed quoted phrases, spaces included', () => {
    const pattern = '?" ERROR " ?" FATAL "'
    expect(matchesFilterPattern(pattern, '26/03/03 06:00:01 ERROR Executor: lost')).toBe(true)
    expect(matchesFilterPattern(pattern, '26/03/03 06:00:01 FATAL Driver: gone')).toBe(true)
    expect(matchesFilterPattern(pattern, 'ERROR_COUNT=0 INFO done')).toBe(false)
  })
})
