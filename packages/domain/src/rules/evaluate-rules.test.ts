import { Either, Schema } from 'effect'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ValidationConfig } from '../config/validation-config.ts'
import { TriggerCondition, ValidationRule } from '../config/validation-rule.ts'
import { evaluateRule, evaluateRules } from './evaluate-rules.ts'

const NOW = Date.parse('2026-03-01T12:00:00Z')
const MINUTE = 60_000
const rule = (input: Record<string, unknown>): ValidationRule =>
  Schema.decodeUnknownSync(ValidationRule)(input)
const iso = (millis: number) => new Date(millis).toISOString()

describe('§6.1 pkg/validation/engine_test.go', () => {
  it('TestEvaluateRule_Equals — passes, keeps the rule key, no reason', () => {
    const result = evaluateRule(
      rule({ key: 'orders', check: 'equals', field: 'status', value: 'COMPLETE' }),
      { status: 'COMPLETE' },
      NOW,
    )
    expect(result).toEqual({
      key: 'orders',
      check: 'equals',
      field: 'status',
      expected: 'COMPLETE',
      actual: 'COMPLETE',
      passed: true,
    })
  })

  it('TestEvaluateRule_Equals_Fail — the reason shows both values', () => {
    const result = evaluateRule(
      rule({ key: 'orders', check: 'equals', field: 'status', value: 'COMPLETE' }),
      { status: 'PENDING' },
      NOW,
    )
    expect(result).toEqual({
      key: 'orders',
      check: 'equals',
      field: 'status',
      expected: 'COMPLETE',
      actual: 'PENDING',
      passed: false,
      reason: 'expected COMPLETE, got PENDING',
    })
  })

  it.each([
    ['TestEvaluateRule_GTE', 'gte', 150, 100, true],
    ['TestEvaluateRule_GTE_Fail', 'gte', 50, 100, false],
    ['TestEvaluateRule_LTE', 'lte', 0.03, 0.05, true],
    ['TestEvaluateRule_GT/pass', 'gt', 101, 100, true],
    ['TestEvaluateRule_GT/fail_equal', 'gt', 100, 100, false],
    ['TestEvaluateRule_LT/pass', 'lt', 200, 500, true],
    ['TestEvaluateRule_LT/fail_equal', 'lt', 500, 500, false],
    ['TestEvaluateRule_GTE_IntField', 'gte', 150, 100, true],
    ['TestEvaluateRule_LT_Int64Field', 'lt', 200, 500, true],
    ['TestEvaluateRule_GTE_StringNumericField', 'gte', '150', '100', true],
  ])('%s', (_name, check, actual, value, passed) => {
    expect(evaluateRule(rule({ key: 'k', check, field: 'n', value }), { n: actual }, NOW).passed).toBe(passed)
  })

  it.each([
    ['TestEvaluateRule_LTE_Fail', 'lte', 0.1, 0.05, '0.1 lte 0.05 is false'],
    ['TestEvaluateRule_GT_Fail_LessThan', 'gt', 50, 100, '50 gt 100 is false'],
    ['TestEvaluateRule_GTE_Fail (reason names 50)', 'gte', 50, 100, '50 gte 100 is false'],
    [
      'TestEvaluateRule_Numeric_NonNumericField',
      'gte',
      'not-a-number',
      100,
      'field "n" value not-a-number is not numeric',
    ],
    [
      'TestEvaluateRule_GTE_StringNonNumericField',
      'gte',
      'not-a-number',
      1,
      'field "n" value not-a-number is not numeric',
    ],
  ])('%s', (_name, check, actual, value, reason) => {
    expect(evaluateRule(rule({ key: 'k', check, field: 'n', value }), { n: actual }, NOW).reason).toBe(reason)
  })

  it('TestEvaluateRule_Numeric_NonNumericRuleValue — a config error now (C2), see parse-pipeline-config.test.ts', () => {
    expect(
      Either.isLeft(
        Schema.decodeUnknownEither(ValidationRule)({ key: 'k', check: 'gte', field: 'n', value: 'x' }),
      ),
    ).toBe(true)
  })

  it('TestEvaluateRule_Exists — any sensor data passes, no field needed', () => {
    expect(evaluateRule(rule({ key: 'k', check: 'exists' }), { anything: 1 }, NOW).passed).toBe(true)
  })

  it('TestEvaluateRule_Exists_Nil — reason exactly "sensor key does not exist"', () => {
    expect(evaluateRule(rule({ key: 'k', check: 'exists' }), null, NOW)).toEqual({
      key: 'k',
      check: 'exists',
      passed: false,
      reason: 'sensor key does not exist',
    })
  })

  it('TestEvaluateRule_AgeLT — 30 minutes old passes age_lt 1h', () => {
    const result = evaluateRule(
      rule({ key: 'k', check: 'age_lt', field: 'updatedAt', value: '1h' }),
      { updatedAt: iso(NOW - 30 * MINUTE) },
      NOW,
    )
    expect(result.passed).toBe(true)
  })

  it('TestEvaluateRule_AgeLT_Stale — 2 hours old fails with the age and the threshold', () => {
    const result = evaluateRule(
      rule({ key: 'k', check: 'age_lt', field: 'updatedAt', value: '1h' }),
      { updatedAt: iso(NOW - 120 * MINUTE) },
      NOW,
    )
    expect(result.reason).toBe('age 2h0m0s exceeds threshold 1h0m0s')
  })

  it('TestEvaluateRule_MissingField', () => {
    const result = evaluateRule(
      rule({ key: 'k', check: 'equals', field: 'status', value: 'x' }),
      { other: 1 },
      NOW,
    )
    expect(result.reason).toBe('field "status" not found in sensor data')
  })

  it('TestEvaluateRule_MissingSensor — equals on no data', () => {
    expect(
      evaluateRule(rule({ key: 'k', check: 'equals', field: 'status', value: 'x' }), null, NOW).reason,
    ).toBe('sensor key does not exist')
  })

  it('TestEvaluateRule_UnknownOp — an unknown operator is a config error now (C2)', () => {
    expect(
      Either.isLeft(
        Schema.decodeUnknownEither(ValidationRule)({ key: 'k', check: 'regex', field: 'f', value: 'x' }),
      ),
    ).toBe(true)
  })

  const passing = rule({ key: 'a', check: 'exists' })
  const failing = rule({ key: 'b', check: 'exists' })
  const sensors = { a: {} }

  it('TestEvaluateRules_ALL_Pass', () => {
    const result = evaluateRules({ trigger: 'ALL', rules: [passing, passing] }, sensors, NOW)
    expect(result.passed).toBe(true)
    expect(result.results.map((each) => each.passed)).toEqual([true, true])
  })

  it('TestEvaluateRules_ALL_OneFails', () => {
    const result = evaluateRules({ trigger: 'ALL', rules: [passing, failing] }, sensors, NOW)
    expect(result.passed).toBe(false)
    expect(result.results.map((each) => each.passed)).toEqual([true, false])
  })

  it('TestEvaluateRules_ANY_OnePasses', () => {
    expect(evaluateRules({ trigger: 'ANY', rules: [failing, passing] }, sensors, NOW).passed).toBe(true)
  })

  it('TestEvaluateRules_ANY_AllFail', () => {
    expect(evaluateRules({ trigger: 'ANY', rules: [failing, failing] }, sensors, NOW).passed).toBe(false)
  })

  it('TestEvaluateRules_MissingSensor', () => {
    const result = evaluateRules({ trigger: 'ALL', rules: [failing] }, {}, NOW)
    expect(result.passed).toBe(false)
    expect(result.results[0]?.reason).toBe('sensor key does not exist')
  })

  it('TestEvaluateRules_EmptyRules — ALL with no rules passes (vacuous truth)', () => {
    expect(evaluateRules({ trigger: 'ALL', rules: [] }, {}, NOW)).toEqual({ passed: true, results: [] })
  })

  it('ANY with no rules does not pass (and is a config error, R7)', () => {
    expect(evaluateRules({ trigger: 'ANY', rules: [] }, {}, NOW).passed).toBe(false)
  })

  it('TestEvaluateRule_AgeLT_NonStringField — 12345 is epoch seconds under R5, so it is 56 years old', () => {
    const result = evaluateRule(
      rule({ key: 'k', check: 'age_lt', field: 'updatedAt', value: '1h' }),
      { updatedAt: 12345 },
      NOW,
    )
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/^age \d+h\d+m\d+s exceeds threshold 1h0m0s$/)
  })

  it('TestEvaluateRule_AgeLT_InvalidTimestamp', () => {
    const result = evaluateRule(
      rule({ key: 'k', check: 'age_lt', field: 'updatedAt', value: '1h' }),
      { updatedAt: 'not-a-timestamp' },
      NOW,
    )
    expect(result.reason).toBe(
      'field "updatedAt" value not-a-timestamp is not a valid RFC3339 timestamp or epoch number (seconds below 1e12, else milliseconds)',
    )
  })

  it.each([
    ['TestToFloat64_IntTypes/int', 42, 41, true],
    ['TestToFloat64_IntTypes/float64', 3.14, 3.13, true],
    ['TestToFloat64_Unsupported/string', 'not-a-number', 0, false],
    ['TestToFloat64_Unsupported/bool', true, 0, false],
    ['TestToFloat64_Unsupported/null', null, 0, false],
  ])('%s', (_name, actual, value, passed) => {
    expect(evaluateRule(rule({ key: 'k', check: 'gt', field: 'n', value }), { n: actual }, NOW).passed).toBe(
      passed,
    )
  })

  it.each([
    ['TestEvaluateRules_LowercaseAny_TreatedAsAll — lower-case any is ANY (R7)', 'any', true],
    ['TestEvaluateRules_MixedCaseAny_TreatedAsAll — Any is ANY (R7)', 'Any', true],
    ['TestEvaluateRules_DefaultMode_FallsToALL/one_fails — ALL', 'ALL', false],
  ])('%s', (_name, mode, passed) => {
    const { trigger } = Schema.decodeUnknownSync(ValidationConfig)({ trigger: mode })
    expect(evaluateRules({ trigger, rules: [passing, failing] }, sensors, NOW).passed).toBe(passed)
  })

  it('TestEvaluateRule_Equals_Boolean', () => {
    expect(
      evaluateRule(rule({ key: 'k', check: 'equals', field: 'f', value: true }), { f: true }, NOW).passed,
    ).toBe(true)
  })

  it('TestEvaluateRule_Equals_Numeric', () => {
    expect(
      evaluateRule(rule({ key: 'k', check: 'equals', field: 'f', value: 42 }), { f: 42 }, NOW).passed,
    ).toBe(true)
  })
})

describe('recommended extra engine cases, with R4–R7', () => {
  const equals = (value: unknown, actual: unknown) =>
    evaluateRule(rule({ key: 'k', check: 'equals', field: 'f', value }), { f: actual }, NOW).passed

  it('exists on {} passes', () => {
    expect(evaluateRule(rule({ key: 'k', check: 'exists' }), {}, NOW).passed).toBe(true)
  })

  it('exists with a field checks that field (R7)', () => {
    const exists = rule({ key: 'k', check: 'exists', field: 'status' })
    expect(evaluateRule(exists, { status: null }, NOW).passed).toBe(true)
    expect(evaluateRule(exists, {}, NOW).reason).toBe('field "status" not found in sensor data')
  })

  it('number 1000000 equals the string "1000000" (R6 overrules the %v quirk)', () => {
    expect(equals(1_000_000, '1000000')).toBe(true)
  })

  it('a numeric string equals its number, booleans equal their strings, strings compare exactly (R6)', () => {
    expect(equals(42, '42')).toBe(true)
    expect(equals(3, '3.0')).toBe(true)
    expect(equals(true, 'true')).toBe(true)
    expect(equals('true', false)).toBe(false)
    expect(equals('42', '42.0')).toBe(false)
    expect(equals(42, ' 42')).toBe(false)
    expect(equals(1, true)).toBe(false)
  })

  it('null equals only null; a rule without value means null (R6)', () => {
    expect(equals(null, null)).toBe(true)
    expect(equals(null, '<nil>')).toBe(false)
    expect(evaluateRule(rule({ key: 'k', check: 'equals', field: 'f' }), { f: null }, NOW).passed).toBe(true)
  })

  it('lists and maps compare element by element', () => {
    expect(equals({ a: 1, b: ['x'] }, { b: ['x'], a: '1' })).toBe(true)
    expect(equals(['a'], ['a', 'b'])).toBe(false)
  })

  it('age_gt is the mirror of age_lt (R4)', () => {
    const ageGt = rule({ key: 'k', check: 'age_gt', field: 'updatedAt', value: '1h' })
    expect(evaluateRule(ageGt, { updatedAt: iso(NOW - 2 * 60 * MINUTE) }, NOW).passed).toBe(true)
    expect(evaluateRule(ageGt, { updatedAt: iso(NOW - 30 * MINUTE) }, NOW).reason).toBe(
      'age 30m0s does not exceed threshold 1h0m0s',
    )
  })

  it('a future timestamp passes age_lt', () => {
    const ageLt = rule({ key: 'k', check: 'age_lt', field: 'updatedAt', value: '1h' })
    expect(evaluateRule(ageLt, { updatedAt: iso(NOW + 10 * MINUTE) }, NOW).passed).toBe(true)
  })

  it('age rules read epoch seconds and milliseconds (R5)', () => {
    const ageLt = rule({ key: 'k', check: 'age_lt', field: 'updatedAt', value: '1h' })
    expect(evaluateRule(ageLt, { updatedAt: (NOW - 10 * MINUTE) / 1000 }, NOW).passed).toBe(true)
    expect(evaluateRule(ageLt, { updatedAt: NOW - 10 * MINUTE }, NOW).passed).toBe(true)
    expect(evaluateRule(ageLt, { updatedAt: String(NOW - 10 * MINUTE) }, NOW).passed).toBe(true)
  })

  it.each([' 5', '0x10', '', '1_000', 'inf', 'NaN'])('%j is not numeric (R6)', (text) => {
    expect(
      evaluateRule(rule({ key: 'k', check: 'gte', field: 'n', value: 0 }), { n: text }, NOW).reason,
    ).toMatch(/is not numeric$/)
  })

  it.each(['1e3', '+5', '.5', '5.'])('%j is numeric (R6)', (text) => {
    expect(
      evaluateRule(rule({ key: 'k', check: 'gte', field: 'n', value: -1 }), { n: text }, NOW).passed,
    ).toBe(true)
  })

  it('a trigger condition evaluates like a rule', () => {
    const trigger = Schema.decodeUnknownSync(TriggerCondition)({
      key: 'k',
      check: 'equals',
      field: 's',
      value: 'ok',
      deadline: '09:30',
    })
    expect(evaluateRule(trigger, { s: 'ok' }, NOW).passed).toBe(true)
  })
})

describe('rule engine properties', () => {
  const anyRule = fc.oneof(
    fc.record(
      {
        key: fc.constant('k'),
        check: fc.constant('exists'),
        field: fc.string(),
      },
      { requiredKeys: ['key', 'check'] },
    ),
    fc.record({
      key: fc.constant('k'),
      check: fc.constant('equals'),
      field: fc.constantFrom('f', 'g'),
      value: fc.jsonValue(),
    }),
    fc.record({
      key: fc.constant('k'),
      check: fc.constantFrom('gt', 'gte', 'lt', 'lte'),
      field: fc.constantFrom('f', 'g'),
      value: fc.oneof(fc.double({ noNaN: true }), fc.integer().map(String)),
    }),
    fc.record({
      key: fc.constant('k'),
      check: fc.constantFrom('age_lt', 'age_gt'),
      field: fc.constantFrom('f', 'g'),
      value: fc.constantFrom('1h', '0', '-5m', '1500ms', '2562047h'),
    }),
  )
  const anyData = fc.option(
    fc.dictionary(
      fc.constantFrom('f', 'g', 'h'),
      fc.oneof(
        fc.jsonValue(),
        fc.double(),
        fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
      ),
    ),
    { nil: null },
  )
  const anyNow = fc.integer({ min: -8.64e15, max: 8.64e15 })

  it('never throws; every failure has a reason and every pass has none', () => {
    fc.assert(
      fc.property(
        fc.array(anyRule, { maxLength: 5 }),
        anyData,
        anyNow,
        fc.constantFrom('ALL', 'ANY'),
        (raw, data, now, trigger) => {
          const rules = raw.map((each) => rule(each))
          const result = evaluateRules({ trigger: trigger as 'ALL' | 'ANY', rules }, { k: data }, now)
          expect(result.results).toHaveLength(rules.length)
          for (const each of result.results) {
            if (each.passed) expect(each.reason).toBeUndefined()
            else expect(each.reason?.length ?? 0).toBeGreaterThan(0)
          }
        },
      ),
    )
  })

  it('ALL passes exactly when every rule passes, ANY when some rule does', () => {
    fc.assert(
      fc.property(fc.array(anyRule, { maxLength: 5 }), anyData, anyNow, (raw, data, now) => {
        const rules = raw.map((each) => rule(each))
        const all = evaluateRules({ trigger: 'ALL', rules }, { k: data }, now)
        const any = evaluateRules({ trigger: 'ANY', rules }, { k: data }, now)
        expect(all.passed).toBe(all.results.every((each) => each.passed))
        expect(any.passed).toBe(any.results.some((each) => each.passed))
      }),
    )
  })
})
