import { Schema } from 'effect'
import { optional } from '../config/optional.ts'
import { RuleCheck } from '../config/validation-rule.ts'

/**
 * The outcome of one rule at one instant, as stored in evaluation events and shown verbatim by explain:
 * the rule (`key`, `check`, `field`, `expected` = its value as configured), what the sensor held
 * (`actual`, absent when the sensor or field is missing) and, for a failure, the `reason`.
 */
export const RuleResult = Schema.Struct({
  key: Schema.String,
  check: RuleCheck,
  field: optional(Schema.String),
  expected: optional(Schema.Unknown),
  actual: optional(Schema.Unknown),
  passed: Schema.Boolean,
  reason: optional(Schema.String),
}).annotations({ identifier: 'RuleResult' })
export type RuleResult = typeof RuleResult.Type

/** The outcome of a whole rule set: every rule's result, in rule order, and the combined verdict. */
export const RuleSetResult = Schema.Struct({
  passed: Schema.Boolean,
  results: Schema.Array(RuleResult),
}).annotations({ identifier: 'RuleSetResult' })
export type RuleSetResult = typeof RuleSetResult.Type
