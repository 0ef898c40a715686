import { describe, expect, it } from 'vitest'
import { config, evaluate, play, RUN, ready, sensor } from '../run/testing/run-builders.ts'
import { explainRun, formatExplanation } from './explain-run.ts'

describe('explainRun', () => {
  it('shows each evaluation with every rule verdict, its reason and the sensors it used', () => {
    const strict = {
      config: config({
        validation: {
          trigger: 'ALL',
          rules: [
            { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
            { key: 'row-count', check: 'gte', field: 'count', value: 1000 },
          ],
        },
      }),
    }
    const { events } = play([
      ['2026-03-02T05:59:00Z', sensor('row-count', { count: 10 }), strict],
      ['2026-03-02T06:00:00Z', ready(), strict],
      ['2026-03-02T06:00:01Z', evaluate(1), strict],
    ])
    const text = formatExplanation(explainRun(events, RUN))
    expect(text).toContain('2026-03-02T06:00:00.000Z  attempt 1 started (sensor)')
    expect(text).toContain('evaluation 1 of attempt gold-revenue/default/2026-03-01/1: not ready (ALL)')
    expect(text).toContain('    ✔ upstream-complete.status equals "ready" (actual "ready")')
    expect(text).toContain('    ✘ row-count.count gte 1000 (actual 10) — ')
    expect(text).toContain(
      '    sensors used: {"upstream-complete":{"status":"ready"},"row-count":{"count":10}}',
    )
    expect(text).toContain('    config version 1')
  })
})
