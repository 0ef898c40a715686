import { Schema } from 'effect'
import { DurationFromString } from '../duration/duration.ts'
import { parseDecimal } from '../rules/decimal.ts'
import { ClockDeadline } from './clock-time.ts'
import { EvaluatorConfig } from './evaluator-config.ts'
import { optional } from './optional.ts'
import { SensorKey } from './sensor-key.ts'

/** The rule operators (R4 adds `age_gt` as the mirror of `age_lt`). */
export const RuleCheck = Schema.Literal('exists', 'equals', 'gt', 'gte', 'lt', 'lte', 'age_lt', 'age_gt')
export type RuleCheck = typeof RuleCheck.Type

/** The sensor field a rule reads. */
const FieldName = Schema.String.pipe(
  Schema.filter((field) => field !== '' || 'name the sensor field this rule reads', {
    jsonSchema: { type: 'string', minLength: 1 },
  }),
)

/** A rule value for gt/gte/lt/lte: a number, or a string in the strict decimal grammar of R6. */
export const NumericValue = Schema.Union(
  Schema.Number,
  Schema.String.pipe(
    Schema.filter((text) => parseDecimal(text) !== undefined, {
      jsonSchema: { type: 'string', pattern: '^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$' },
    }),
  ),
).annotations({
  identifier: 'NumericValue',
  message: (issue) => ({
    message: `gt, gte, lt and lte compare numbers: value must be a number or a decimal string such as "100", got ${JSON.stringify(issue.actual) ?? 'nothing'}`,
    override: true,
  }),
})

/** Builds the eight rule shapes, one per operator, with extra fields (an evaluator, a deadline). */
const ruleMembers = <Extra extends Schema.Struct.Fields>(extra: Extra) => {
  const compare = <Check extends 'gt' | 'gte' | 'lt' | 'lte'>(check: Check) =>
    Schema.Struct({
      key: SensorKey,
      check: Schema.Literal(check),
      field: FieldName,
      value: NumericValue,
      ...extra,
    })
  const age = <Check extends 'age_lt' | 'age_gt'>(check: Check) =>
    Schema.Struct({
      key: SensorKey,
      check: Schema.Literal(check),
      field: FieldName,
      value: DurationFromString,
      ...extra,
    })
  return [
    Schema.Struct({
      key: SensorKey,
      check: Schema.Literal('exists'),
      /** With a field, `exists` checks that field is present (R7); `""` means none. */
      field: optional(Schema.String),
      /** Ignored by `exists`; accepted as null for configs written for the original. */
      value: optional(Schema.Null),
      ...extra,
    }),
    Schema.Struct({
      key: SensorKey,
      check: Schema.Literal('equals'),
      field: FieldName,
      /** Absent means null (R6: null equals only null). */
      value: optional(Schema.Unknown),
      ...extra,
    }),
    compare('gt'),
    compare('gte'),
    compare('lt'),
    compare('lte'),
    age('age_lt'),
    age('age_gt'),
  ] as const
}

const ruleExtras = {
  /** C15: Interlock produces this rule's sensor itself at each evaluation. */
  evaluator: optional(EvaluatorConfig),
}

/**
 * One validation rule: `key` names the sensor (matched exactly or as `<key>#<period>`, R2), `check` the
 * operator. `age_lt`/`age_gt` values decode to a Duration; numeric values stay as written.
 */
export const ValidationRule = Schema.Union(...ruleMembers(ruleExtras)).annotations({
  identifier: 'ValidationRule',
})
export type ValidationRule = typeof ValidationRule.Type

/**
 * `schedule.trigger`: the condition a pushed sensor reading must meet to open the evaluation of its period,
 * written like a rule, plus an optional `deadline` when the trigger window closes.
 */
export const TriggerCondition = Schema.Union(
  ...ruleMembers({ deadline: optional(ClockDeadline) }),
).annotations({ identifier: 'TriggerCondition' })
export type TriggerCondition = typeof TriggerCondition.Type

/** A rule or trigger condition, as the rule engine reads it. */
export type RuleLike = ValidationRule | TriggerCondition
