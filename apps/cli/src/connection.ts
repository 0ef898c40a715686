import { readFile } from 'node:fs/promises'
import { ApiClient } from './api-client.ts'
import type { CliIo } from './io.ts'
import { localApiUrl, tokenFileOf } from './paths.ts'

/**
 * The API a command talks to: `--url`/`--token`, else INTERLOCK_URL/INTERLOCK_TOKEN, else the local
 * `serve` (its default address, and the admin token it stored on first start).
 */
export const connect = async (
  io: CliIo,
  flags: { readonly url?: string | undefined; readonly token?: string | undefined },
): Promise<ApiClient> => {
  const url = flags.url ?? io.env.INTERLOCK_URL ?? localApiUrl(io.env)
  const token = flags.token ?? io.env.INTERLOCK_TOKEN ?? (await storedToken(tokenFileOf(io.env)))
  return new ApiClient(url, token)
}

const storedToken = async (file: string): Promise<string | undefined> => {
  try {
    const text = (await readFile(file, 'utf8')).trim()
    return text === '' ? undefined : text
  } catch {
    return undefined
  }
}
