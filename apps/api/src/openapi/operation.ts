import type { Schema } from 'effect'
import type { Scope } from '../auth/scope.ts'

/** A schema as the OpenAPI document needs it: any type, any encoded form, no requirements. */
export type AnySchema = Schema.Schema<unknown, unknown, never>

/**
 * One route as documented in /api/openapi.json. Routers declare these beside their handlers, naming
 * the very Schemas the handlers decode with, so the document cannot drift from what is enforced.
 */
export interface Operation {
  readonly method: 'get' | 'post' | 'put' | 'delete'
  /** OpenAPI form: `/api/pipelines/{id}`. */
  readonly path: string
  readonly summary: string
  readonly tag: string
  /** The scope a token needs; absent for public routes. */
  readonly scope?: Scope
  readonly pathParams?: ReadonlyArray<{ readonly name: string; readonly description: string }>
  readonly query?: AnySchema
  readonly headers?: ReadonlyArray<{ readonly name: string; readonly description: string }>
  readonly body?: { readonly schema: AnySchema; readonly contentTypes: ReadonlyArray<string> }
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: AnySchema }>>
}

/** Widens a concrete schema to what Operation holds (schemas are only read to describe them). */
export const documented = <A, I>(schema: Schema.Schema<A, I, never>): AnySchema =>
  schema as unknown as AnySchema
