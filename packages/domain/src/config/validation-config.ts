import { ParseResult, Schema } from 'effect'
import { ValidationRule } from './validation-rule.ts'

/** How rule results combine (R7). */
export const ValidationMode = Schema.Literal('ALL', 'ANY')
export type ValidationMode = typeof ValidationMode.Type

/** `validation.trigger` as written: `ALL` or `ANY` in any letter case, decoded upper-case (R7). */
export const ValidationModeFromString = Schema.transformOrFail(Schema.String, ValidationMode, {
  strict: true,
  decode: (text, _options, ast) => {
    const upper = text.toUpperCase()
    return upper === 'ALL' || upper === 'ANY'
      ? ParseResult.succeed(upper)
      : ParseResult.fail(
          new ParseResult.Type(
            ast,
            text,
            `${JSON.stringify(text)} is not a validation mode; write ALL or ANY`,
          ),
        )
  },
  encode: (mode) => ParseResult.succeed(mode),
}).annotations({
  identifier: 'ValidationModeString',
  jsonSchema: { type: 'string', pattern: '^([Aa][Ll][Ll]|[Aa][Nn][Yy])$' },
})

/** The `validation` block: the combination mode (`trigger`, default ALL) and the rules (default none). */
export const ValidationConfig = Schema.Struct({
  trigger: Schema.optionalWith(ValidationModeFromString, { default: () => 'ALL' as const }),
  rules: Schema.optionalWith(Schema.Array(ValidationRule), { default: () => [] }),
}).annotations({ identifier: 'ValidationConfig' })
export type ValidationConfig = typeof ValidationConfig.Type
