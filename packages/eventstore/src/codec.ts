import { Either, Option, ParseResult, Schema, SchemaAST } from 'effect'

/** Events are tagged values: `_tag` is the type stored in the log. */
export interface TaggedEvent {
  readonly _tag: string
}

/** An event as the log stores it: type, schema version, and the JSON payload without `_tag`. */
export interface EncodedEvent {
  readonly type: string
  readonly schemaVersion: number
  readonly data: Record<string, unknown>
}

/** Turns an older payload of a type into the next version's payload (v → v + 1). Pure. */
export type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>

export interface EventVersioning {
  /** The version new events of this type are written with (1 when absent). */
  readonly current: number
  /** Keyed by the version they read: `{ 1: v1ToV2, 2: v2ToV3 }`. */
  readonly upcasters?: Readonly<Record<number, Upcaster>>
}

/** Encodes events for the log and decodes stored ones, upcasting old schema versions on the way. */
export interface EventCodec<E extends TaggedEvent> {
  readonly encode: (event: E) => EncodedEvent
  /** Returns the decoded event, or the reason it cannot be decoded. */
  readonly decode: (type: string, schemaVersion: number, data: unknown) => Either.Either<E, string>
}

/**
 * A codec for the events of a `Schema.Union` of `Schema.TaggedStruct`s. Types absent from `versions`
 * are at schema version 1. A stored version newer than the current one is a decode failure (the log
 * was written by newer code), never guessed at.
 */
export function makeEventCodec<E extends TaggedEvent, I>(
  schema: Schema.Schema<E, I, never>,
  versions: Readonly<Record<string, EventVersioning>> = {},
): EventCodec<E> {
  const encodeEvent = Schema.encodeSync(schema)
  const decodeEvent = Schema.decodeUnknownEither(schema)
  // Decoding and encoding with the member schema of the event's type skips the union's dispatch: about
  // half the cost of a decode, which is most of what a projection's catch-up spends per event, and of an
  // encode, which every append pays per event.
  const byTag = memberCodecs(schema.ast)
  return {
    encode(event) {
      const encode = byTag.get(event._tag)?.encode ?? encodeEvent
      const { _tag: type, ...data } = encode(event) as I & { readonly _tag: string }
      return { type, schemaVersion: versions[type]?.current ?? 1, data }
    },
    decode(type, schemaVersion, data) {
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        return Either.left('the payload is not a JSON object')
      }
      const versioning = versions[type]
      const current = versioning?.current ?? 1
      if (schemaVersion > current) {
        return Either.left(
          `schema version ${schemaVersion} is newer than this code knows (${current}); deploy newer code`,
        )
      }
      let payload = data as Record<string, unknown>
      for (let version = schemaVersion; version < current; version++) {
        const upcast = versioning?.upcasters?.[version]
        if (upcast === undefined) return Either.left(`no upcaster from version ${version} to ${version + 1}`)
        payload = upcast(payload)
      }
      const decode = byTag.get(type)?.decode ?? decodeEvent
      return Either.mapLeft(
        decode({ ...payload, _tag: type }) as Either.Either<E, ParseResult.ParseError>,
        (error) => ParseResult.TreeFormatter.formatErrorSync(error),
      )
    },
  }
}

interface MemberCodec {
  readonly decode: (input: unknown) => Either.Either<unknown, ParseResult.ParseError>
  readonly encode: (event: unknown) => unknown
}

/**
 * A check of a value against a schema that encodes it as is, compiled from its AST: no allocation, unlike
 * the Schema, which builds its answer as it parses (most of what an append spent per event). It compiles
 * only where encoding changes nothing but fields the top struct does not name: no transformation,
 * declaration (Date, classes) or recursion anywhere, and no struct below the top one (whose unknown
 * fields encoding would drop unseen). It accepts nothing the Schema refuses; where it is unsure (a
 * missing required key, a rest element) it answers false and the caller asks the Schema.
 */
function compileCheck(ast: SchemaAST.AST, top = false): ((value: unknown) => boolean) | undefined {
  switch (ast._tag) {
    case 'StringKeyword':
      return (value) => typeof value === 'string'
    case 'NumberKeyword':
      return (value) => typeof value === 'number'
    case 'BooleanKeyword':
      return (value) => typeof value === 'boolean'
    case 'UndefinedKeyword':
      return (value) => value === undefined
    case 'UnknownKeyword':
    case 'AnyKeyword':
      return () => true
    case 'Literal': {
      const literal = ast.literal
      return (value) => value === literal
    }
    case 'Enums': {
      const values: ReadonlyArray<unknown> = ast.enums.map(([, value]) => value)
      return (value) => values.includes(value)
    }
    case 'Refinement': {
      const from = compileCheck(ast.from, top)
      if (from === undefined) return undefined
      const refinement = ast
      return (value) => from(value) && Option.isNone(refinement.filter(value, {}, refinement))
    }
    case 'Union': {
      const checks: Array<(value: unknown) => boolean> = []
      for (const member of ast.types) {
        const check = compileCheck(member)
        if (check === undefined) return undefined
        checks.push(check)
      }
      return (value) => checks.some((check) => check(value))
    }
    case 'TupleType': {
      if (ast.rest.length > 1 || ast.elements.some((element) => element.isOptional)) return undefined
      const checks: Array<(value: unknown) => boolean> = []
      for (const element of ast.elements) {
        const check = compileCheck(element.type)
        if (check === undefined) return undefined
        checks.push(check)
      }
      const rest = ast.rest[0] === undefined ? undefined : compileCheck(ast.rest[0].type)
      if (ast.rest.length === 1 && rest === undefined) return undefined
      return (value) => {
        if (!Array.isArray(value) || value.length < checks.length) return false
        if (rest === undefined && value.length !== checks.length) return false
        for (let index = 0; index < value.length; index++) {
          const check = index < checks.length ? checks[index]! : rest!
          if (!check(value[index])) return false
        }
        return true
      }
    }
    case 'TypeLiteral': {
      if (!top && ast.propertySignatures.length > 0) return undefined
      const fields: Array<{ name: string; optional: boolean; check: (value: unknown) => boolean }> = []
      for (const signature of ast.propertySignatures) {
        const check = compileCheck(signature.type)
        if (check === undefined || typeof signature.name !== 'string') return undefined
        fields.push({ name: signature.name, optional: signature.isOptional, check })
      }
      const indexed: Array<(value: unknown) => boolean> = []
      for (const signature of ast.indexSignatures) {
        const check = compileCheck(signature.type)
        if (check === undefined || signature.parameter._tag !== 'StringKeyword') return undefined
        indexed.push(check)
      }
      return (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
        const record = value as Record<string, unknown>
        for (const field of fields) {
          if (!Object.hasOwn(record, field.name)) {
            if (field.optional) continue
            return false
          }
          if (!field.check(record[field.name])) return false
        }
        if (indexed.length > 0) {
          for (const key of Object.keys(record)) {
            for (const check of indexed) if (!check(record[key])) return false
          }
        }
        return true
      }
    }
    default:
      return undefined
  }
}

/**
 * The member's encoder. An event its compiled check accepts, holding no field the struct does not name,
 * is its own encoding (the check costs less than half of encoding it, which every append pays per event);
 * anything else is encoded by the Schema, which refuses what is invalid and leaves unknown fields out.
 */
function memberEncoder(member: Schema.Schema<unknown, unknown, never>): (event: unknown) => unknown {
  const encode = Schema.encodeSync(member)
  const check = compileCheck(member.ast, true)
  if (check === undefined) return encode
  let struct = member.ast
  while (SchemaAST.isRefinement(struct)) struct = struct.from
  const fields = new Set(SchemaAST.getPropertySignatures(struct).map((signature) => signature.name))
  const onlyNamedFields = (event: object) => {
    for (const field in event) if (!fields.has(field)) return false
    return true
  }
  return (event) => (check(event) && onlyNamedFields(event as object) ? event : encode(event))
}

/** One decoder and encoder per `_tag` of the (possibly nested) union's tagged members. */
function memberCodecs(ast: SchemaAST.AST): ReadonlyMap<string, MemberCodec> {
  const codecs = new Map<string, MemberCodec>()
  const visit = (node: SchemaAST.AST): void => {
    if (SchemaAST.isUnion(node)) {
      for (const member of node.types) visit(member)
      return
    }
    const tag = SchemaAST.getPropertySignatures(node).find((signature) => signature.name === '_tag')
    if (tag !== undefined && SchemaAST.isLiteral(tag.type) && typeof tag.type.literal === 'string') {
      const member = Schema.make(node)
      codecs.set(tag.type.literal, {
        decode: Schema.decodeUnknownEither(member),
        encode: memberEncoder(member as Schema.Schema<unknown, unknown, never>),
      })
    }
  }
  visit(ast)
  return codecs
}

/** Any JSON object with a `_tag`, stored as is: for tools and benchmarks that do not know the domain. */
export interface RawEvent extends TaggedEvent {
  readonly [field: string]: unknown
}

export const rawCodec: EventCodec<RawEvent> = {
  encode({ _tag, ...data }) {
    return { type: _tag, schemaVersion: 1, data }
  },
  decode(type, _schemaVersion, data) {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return Either.left('the payload is not a JSON object')
    }
    return Either.right({ ...(data as Record<string, unknown>), _tag: type })
  },
}
