// The rule engine: what other folders of this package import.
export { parseDecimal, toNumber } from './decimal.ts'
export { evaluateRule, evaluateRules, type SensorFields, type SensorsByKey } from './evaluate-rules.ts'
export { RuleResult, RuleSetResult } from './rule-result.ts'
export { parseRfc3339, parseTimestamp } from './timestamp.ts'
export { showValue, typedEquals } from './typed-equals.ts'
