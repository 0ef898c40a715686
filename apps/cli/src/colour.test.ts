import { describe, expect, it } from 'vitest'
import { paint, useColour } from './colour.ts'

describe('colour', () => {
  it('is used on a terminal only, and never when NO_COLOR is set or TERM is dumb', () => {
    expect(useColour(true, {})).toBe(true)
    expect(useColour(false, {})).toBe(false)
    expect(useColour(true, { NO_COLOR: '1' })).toBe(false)
    expect(useColour(true, { TERM: 'dumb' })).toBe(false)
  })

  it('paints whole status words and leaves everything else as it was', () => {
    expect(paint('gold-revenue-daily  2026-03-05  succeeded  met')).toBe(
      'gold-revenue-daily  2026-03-05  \u001b[32msucceeded\u001b[39m  \u001b[32mmet\u001b[39m',
    )
    expect(paint('silver  failed')).toBe('silver  \u001b[31mfailed\u001b[39m')
    expect(paint('failed-orders waiting')).toBe('failed-orders \u001b[33mwaiting\u001b[39m')
    expect(paint('no statuses here')).toBe('no statuses here')
  })
})
