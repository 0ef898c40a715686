import { describe, expect, it } from 'vitest'
import { ApiConfigInvalid, DEFAULT_API_CONFIG, readApiConfig } from './config.ts'

describe('readApiConfig', () => {
  it('defaults to a 1 MiB body limit, depth 32 and port 8080', () => {
    expect(readApiConfig({})).toEqual(DEFAULT_API_CONFIG)
    expect(DEFAULT_API_CONFIG).toMatchObject({ bodyLimitBytes: 1_048_576, jsonMaxDepth: 32, port: 8080 })
  })

  it('reads INTERLOCK_ variables and ignores others', () => {
    const config = readApiConfig({
      INTERLOCK_API_PORT: '9000',
      INTERLOCK_API_RATE_LIMIT_PER_SECOND: '50',
      PORT: 'x',
    })
    expect(config.port).toBe(9000)
    expect(config.rateLimit.perSecond).toBe(50)
  })

  it('reports every bad variable at once with its value', () => {
    expect(() => readApiConfig({ INTERLOCK_API_PORT: 'eighty', INTERLOCK_LOG_LEVEL: 'loud' })).toThrow(
      ApiConfigInvalid,
    )
    try {
      readApiConfig({ INTERLOCK_API_PORT: 'eighty', INTERLOCK_LOG_LEVEL: 'loud' })
    } catch (error) {
      expect((error as Error).message).toContain('INTERLOCK_API_PORT ("eighty")')
      expect((error as Error).message).toContain('INTERLOCK_LOG_LEVEL ("loud")')
    }
  })
})
