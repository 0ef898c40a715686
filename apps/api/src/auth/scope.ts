import { Schema } from 'effect'

/** What a token may do. `admin` may do everything; the others are exactly what they name. */
export const Scope = Schema.Literal(
  'sensors:write',
  'reruns:write',
  'pipelines:write',
  'admin',
  'read',
).annotations({ identifier: 'Scope' })
export type Scope = typeof Scope.Type

export const SCOPES: ReadonlyArray<Scope> = Scope.literals

/** Whether a token holding `held` may use a route that needs `required`. */
export function allows(held: ReadonlyArray<string>, required: Scope): boolean {
  return held.includes(required) || held.includes('admin')
}
