/**
 * A small JSON Schema (draft-07) validator for the keywords `JSONSchema.make` emits, used to prove the
 * exported schema accepts the sample configs. It refuses to judge a schema with a keyword it does not
 * know, so a test can never pass by ignoring a constraint.
 */

type JsonSchema = boolean | { readonly [keyword: string]: unknown }

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$defs',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
])
const KNOWN = new Set([
  ...ANNOTATIONS,
  '$ref',
  'type',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'items',
  'additionalItems',
  'required',
  'properties',
  'additionalProperties',
  'patternProperties',
  'propertyNames',
  'anyOf',
  'allOf',
  'not',
])

const typeOf = (value: unknown): string => {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/** The errors of `value` against `schema` (empty when valid); `root` resolves `#/$defs/…` references. */
export const validateJsonSchema = (
  schema: JsonSchema,
  value: unknown,
  root: JsonSchema = schema,
  path = '',
): string[] => {
  if (schema === true) return []
  if (schema === false) return [`${path || '/'}: not allowed`]
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword))
      throw new Error(`the validator does not know the keyword "${keyword}" at ${path || '/'}`)
  }
  const errors: string[] = []
  const at = path || '/'
  const ref = schema.$ref
  if (typeof ref === 'string') {
    const name = ref.replace(/^#\/\$defs\//, '')
    const target =
      typeof root === 'object' ? (root.$defs as Record<string, JsonSchema> | undefined)?.[name] : undefined
    if (target === undefined) throw new Error(`unresolved reference ${ref}`)
    errors.push(...validateJsonSchema(target, value, root, path))
  }
  const type = schema.type
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type]
    const actual = typeOf(value)
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) {
      return [...errors, `${at}: expected ${types.join(' or ')}, got ${actual}`]
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`)
  }
  if ('const' in schema && !deepEqual(schema.const, value))
    errors.push(`${at}: must be ${JSON.stringify(schema.const)}`)
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
      errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`)
    }
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength)
      errors.push(`${at}: too short`)
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength)
      errors.push(`${at}: too long`)
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      errors.push(`${at}: below ${schema.minimum}`)
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      errors.push(`${at}: above ${schema.maximum}`)
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      errors.push(`${at}: too small`)
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      errors.push(`${at}: too large`)
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      errors.push(`${at}: too few items`)
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      errors.push(`${at}: too many items`)
    const items = schema.items as JsonSchema | JsonSchema[] | undefined
    value.forEach((item, index) => {
      const itemSchema = Array.isArray(items)
        ? (items[index] ?? (schema.additionalItems as JsonSchema | undefined))
        : items
      if (itemSchema !== undefined)
        errors.push(...validateJsonSchema(itemSchema, item, root, `${path}/${index}`))
    })
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!Object.hasOwn(record, key)) errors.push(`${at}: missing required "${key}"`)
    }
    const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {}
    const patterns = (schema.patternProperties as Record<string, JsonSchema> | undefined) ?? {}
    for (const [key, item] of Object.entries(record)) {
      if (schema.propertyNames !== undefined) {
        errors.push(
          ...validateJsonSchema(schema.propertyNames as JsonSchema, key, root, `${path}/${key} (name)`),
        )
      }
      const property = properties[key]
      const matching = Object.entries(patterns).filter(([pattern]) => new RegExp(pattern, 'u').test(key))
      if (property !== undefined) errors.push(...validateJsonSchema(property, item, root, `${path}/${key}`))
      for (const [, patternSchema] of matching)
        errors.push(...validateJsonSchema(patternSchema, item, root, `${path}/${key}`))
      if (property === undefined && matching.length === 0 && schema.additionalProperties !== undefined) {
        errors.push(
          ...validateJsonSchema(schema.additionalProperties as JsonSchema, item, root, `${path}/${key}`),
        )
      }
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf as JsonSchema[])
      errors.push(...validateJsonSchema(part, value, root, path))
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as JsonSchema[]).map((part) => validateJsonSchema(part, value, root, path))
    if (!branches.some((branch) => branch.length === 0)) {
      errors.push(
        `${at}: matches none of ${branches.length} alternatives (${branches.map((branch) => branch[0]).join('; ')})`,
      )
    }
  }
  // `not` marks keys a readiness-only job refuses whatever they hold (`{"not": {}}` matches nothing).
  if (
    schema.not !== undefined &&
    validateJsonSchema(schema.not as JsonSchema, value, root, path).length === 0
  )
    errors.push(`${at}: not allowed here`)
  return errors
}
