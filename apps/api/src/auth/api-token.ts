import { hash, randomBytes } from 'node:crypto'
import type { Queryable } from '@interlock/eventstore'
import { type ApiTokenRow, insertToken, selectTokenByHash, selectTokens, updateTokenRevoked } from '../sql.ts'
import { SCOPES, type Scope } from './scope.ts'

/** A token as listed: never its secret, which exists only in the answer to `createToken`. */
export interface ApiToken {
  readonly id: string
  readonly name: string
  readonly scopes: ReadonlyArray<Scope>
  readonly createdAt: Date
  readonly revokedAt: Date | null
}

/** 32 random bytes: guessing is hopeless, so one SHA-256 (no slow KDF) is a safe way to store it. */
const SECRET_BYTES = 32
const TOKEN_PREFIX = 'ilk_'

/** The token's SHA-256, as stored. One-shot `hash`: a third of a Hash object's cost, paid on every request. */
export function tokenSha256(token: string): Buffer {
  return hash('sha256', token, 'buffer')
}

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as ReadonlyArray<Scope>,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }
}

/** A name or scope list the CLI passed cannot make a token. */
export class TokenRequestInvalid extends Error {
  override readonly name = 'TokenRequestInvalid'
}

/**
 * Creates a token with the given scopes and returns it with its secret, which is shown this once and
 * stored only as its SHA-256.
 */
export async function createToken(
  db: Queryable,
  request: { readonly name: string; readonly scopes: ReadonlyArray<string> },
): Promise<ApiToken & { readonly token: string }> {
  const name = request.name.trim()
  if (name === '' || name.length > 200)
    throw new TokenRequestInvalid(
      `token name "${request.name}" must be 1–200 characters; name who will use it.`,
    )
  const unknown = request.scopes.filter((scope) => !(SCOPES as ReadonlyArray<string>).includes(scope))
  if (request.scopes.length === 0 || unknown.length > 0) {
    throw new TokenRequestInvalid(
      `token scopes ${JSON.stringify(request.scopes)} are not valid; give one or more of ${SCOPES.join(', ')}.`,
    )
  }
  const token = `${TOKEN_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`
  const id = `tok_${randomBytes(6).toString('hex')}`
  const { rows } = await insertToken(db, {
    id,
    name,
    sha256: tokenSha256(token),
    scopes: [...new Set(request.scopes)],
  })
  return { ...toApiToken(rows[0]!), token }
}

/** Every token, revoked ones included, oldest first. */
export async function listTokens(db: Queryable): Promise<ReadonlyArray<ApiToken>> {
  return (await selectTokens(db)).rows.map(toApiToken)
}

/** Revokes a token (again is harmless); undefined when no token has that id. */
export async function revokeToken(db: Queryable, id: string): Promise<ApiToken | undefined> {
  const row = (await updateTokenRevoked(db, id)).rows[0]
  return row === undefined ? undefined : toApiToken(row)
}

/** The token whose secret is `token`, if one was ever created (revoked or not). */
export async function findToken(db: Queryable, token: string): Promise<ApiToken | undefined> {
  const row = (await selectTokenByHash(db, tokenSha256(token))).rows[0]
  return row === undefined ? undefined : toApiToken(row)
}
