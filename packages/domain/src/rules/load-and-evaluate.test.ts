import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import { parsePipelineConfig } from '../config/parse-pipeline-config.ts'
import { GOLD_REVENUE_YAML, SILVER_ORDERS_YAML } from '../config/sample-configs.ts'
import { evaluateRules } from './evaluate-rules.ts'

const NOW = Date.parse('2026-03-10T12:00:00Z')
const gold = Either.getOrThrow(parsePipelineConfig(GOLD_REVENUE_YAML))
const silver = Either.getOrThrow(parsePipelineConfig(SILVER_ORDERS_YAML))

describe('§6.8 TestIntegration_LoadAndEvaluate', () => {
  it('loads both samples with their owners', () => {
    expect([gold.pipeline.owner, silver.pipeline.owner]).toEqual(['analytics-team', 'data-platform'])
  })

  it('gold passes ALL with fresh, complete, large enough data', () => {
    const sensors = {
      'upstream-complete': { status: 'ready' },
      'row-count': { count: 5000 },
      freshness: { updatedAt: new Date(NOW - 30 * 60_000).toISOString() },
    }
    const result = evaluateRules(gold.validation, sensors, NOW)
    expect(result.passed).toBe(true)
    expect(result.results.map((each) => each.passed)).toEqual([true, true, true])
  })

  it('gold fails on a small row count, saying why', () => {
    const sensors = {
      'upstream-complete': { status: 'ready' },
      'row-count': { count: 500 },
      freshness: { updatedAt: new Date(NOW - 30 * 60_000).toISOString() },
    }
    const result = evaluateRules(gold.validation, sensors, NOW)
    expect(result.passed).toBe(false)
    expect(result.results[1]?.reason).toBe('500 gte 1000 is false')
  })

  it('silver passes ANY with only orders-landed present', () => {
    const result = evaluateRules(silver.validation, { 'orders-landed': {} }, NOW)
    expect(result.passed).toBe(true)
    expect(result.results.map((each) => each.passed)).toEqual([true, false])
  })
})
