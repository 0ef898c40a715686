import { createToken, listTokens, revokeToken, SCOPES } from '@interlock/api'
import { CommandFailed, UsageError } from './cli-error.ts'
import { openDatabase } from './database.ts'
import type { CliIo } from './io.ts'
import { cell, formatTable } from './table.ts'

/** `interlock token create|list|revoke`: API tokens, straight in the database (no token needed to make one). */
export const token = async (
  io: CliIo,
  action: string | undefined,
  options: {
    readonly id?: string | undefined
    readonly name?: string | undefined
    readonly scopes: ReadonlyArray<string>
    readonly json: boolean
  },
): Promise<number> => {
  if (action !== 'create' && action !== 'list' && action !== 'revoke')
    throw new UsageError({
      problem: `token needs an action: create, list or revoke (got ${action ?? 'nothing'})`,
    })
  if (action === 'create') {
    const unknown = options.scopes.filter((scope) => !(SCOPES as ReadonlyArray<string>).includes(scope))
    if (options.scopes.length === 0 || unknown.length > 0)
      throw new UsageError({
        problem: `token create needs --scope with one or more of ${SCOPES.join(', ')}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`,
      })
  }
  if (action === 'revoke' && options.id === undefined)
    throw new UsageError({ problem: 'token revoke needs the token id' })
  const database = await openDatabase(io)
  try {
    if (action === 'create') {
      const created = await createToken(database.pool, {
        name: options.name ?? 'cli',
        scopes: options.scopes,
      })
      if (options.json) io.out(JSON.stringify(created, null, 2))
      else
        io.out(
          `${created.token}\n(id ${created.id}, scopes ${created.scopes.join(',')}; shown once — store it now)`,
        )
    } else if (action === 'list') {
      const tokens = await listTokens(database.pool)
      if (options.json) io.out(JSON.stringify(tokens, null, 2))
      else
        io.out(
          formatTable(
            ['ID', 'NAME', 'SCOPES', 'CREATED', 'REVOKED'],
            tokens.map((item) => [
              item.id,
              item.name,
              item.scopes.join(','),
              item.createdAt.toISOString(),
              cell(item.revokedAt?.toISOString()),
            ]),
          ),
        )
    } else {
      const revoked = await revokeToken(database.pool, options.id ?? '')
      if (revoked === undefined)
        throw new CommandFailed({
          problem: `no token has id ${options.id}; list them with \`interlock token list\``,
        })
      io.out(options.json ? JSON.stringify(revoked, null, 2) : `revoked ${revoked.id} (${revoked.name})`)
    }
    return 0
  } finally {
    await database.close()
  }
}
