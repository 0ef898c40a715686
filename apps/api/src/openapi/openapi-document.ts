import { JSONSchema, Schema } from 'effect'
import type { AnySchema, Operation } from './operation.ts'

/** The body of every error answer (see http/problem-details.ts), documented once. */
export const ProblemDetailsSchema = Schema.Struct({
  type: Schema.String,
  title: Schema.String,
  status: Schema.Int,
  detail: Schema.String,
  instance: Schema.optional(Schema.String),
  errors: Schema.optional(
    Schema.Array(
      Schema.Struct({
        in: Schema.Literal('body', 'header', 'query', 'path'),
        path: Schema.String,
        message: Schema.String,
      }),
    ),
  ),
}).annotations({ identifier: 'ProblemDetails' })

type JsonObject = Record<string, unknown>

/** Collects `$defs` of each generated schema into components.schemas and points the refs there. */
class SchemaComponents {
  readonly schemas: Record<string, unknown> = {}

  of(schema: AnySchema): unknown {
    const {
      $defs,
      $schema: _ignored,
      ...root
    }: JSONSchema.JsonSchema7Root = JSONSchema.make(schema, {
      target: 'openApi3.1',
    })
    for (const [name, definition] of Object.entries($defs ?? {}))
      this.schemas[name] = this.rewrite(definition)
    return this.rewrite(root)
  }

  private rewrite(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.rewrite(item))
    if (value === null || typeof value !== 'object') return value
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === '$ref' && typeof inner === 'string'
          ? inner.replace('#/$defs/', '#/components/schemas/')
          : this.rewrite(inner),
      ]),
    )
  }
}

const ERROR_ANSWERS: Readonly<Record<number, string>> = {
  400: 'Invalid input: every field at fault with what to do',
  401: 'No valid bearer token',
  403: 'The token lacks the scope',
  413: 'Body larger than the limit',
  415: 'Unsupported Content-Type',
  429: 'Rate limit of the token used up (see Retry-After)',
}

/** The OpenAPI 3.1 document of the API, generated from the routers' operations. */
export function openApiDocument(operations: ReadonlyArray<Operation>, version: string): JsonObject {
  const components = new SchemaComponents()
  const problem = components.of(ProblemDetailsSchema as unknown as AnySchema)
  const paths: Record<string, Record<string, unknown>> = {}
  for (const operation of operations) {
    const parameters: unknown[] = []
    for (const param of operation.pathParams ?? []) {
      parameters.push({
        name: param.name,
        in: 'path',
        required: true,
        description: param.description,
        schema: { type: 'string' },
      })
    }
    for (const header of operation.headers ?? []) {
      parameters.push({
        name: header.name,
        in: 'header',
        required: false,
        description: header.description,
        schema: { type: 'string' },
      })
    }
    if (operation.query !== undefined) {
      const query = components.of(operation.query) as {
        properties?: Record<string, unknown>
        required?: string[]
      }
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema })
      }
    }
    const responses: Record<string, unknown> = {}
    for (const [status, answer] of Object.entries(operation.responses)) {
      responses[status] = {
        description: answer.description,
        ...(answer.schema === undefined
          ? {}
          : { content: { 'application/json': { schema: components.of(answer.schema) } } }),
      }
    }
    const errors = operation.scope === undefined ? [] : [400, 401, 403, 413, 415, 429]
    for (const status of errors) {
      responses[String(status)] ??= {
        description: ERROR_ANSWERS[status],
        content: { 'application/problem+json': { schema: problem } },
      }
    }
    const body = operation.body
    paths[operation.path] ??= {}
    paths[operation.path]![operation.method] = {
      summary: operation.summary,
      tags: [operation.tag],
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                body.contentTypes.map((type) => [type, { schema: components.of(body.schema) }]),
              ),
            },
          }),
      responses,
      ...(operation.scope === undefined
        ? { security: [] }
        : { security: [{ bearer: [] }], 'x-required-scope': operation.scope }),
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Interlock API',
      version,
      description:
        'Sensors, pipelines, runs, reruns and events of Interlock. Every route but health, readiness, metrics and docs needs a bearer token with the scope named in x-required-scope (admin holds every scope). Errors are application/problem+json with the fields at fault in `errors`.',
    },
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  }
}
