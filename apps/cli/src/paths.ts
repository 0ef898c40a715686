import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file is apps/cli/src/paths.ts). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')

/** Where `serve` keeps the local admin token, unless INTERLOCK_TOKEN_FILE names another file. */
export const tokenFileOf = (env: Readonly<Record<string, string | undefined>>): string =>
  env.INTERLOCK_TOKEN_FILE ?? join(REPO_ROOT, '.interlock', 'admin-token')

/** The embedded Postgres data folder (git-ignored, kept between runs), unless INTERLOCK_EMBEDDED_DATA_DIR names another. */
export const embeddedDataDirOf = (env: Readonly<Record<string, string | undefined>>): string =>
  env.INTERLOCK_EMBEDDED_DATA_DIR ?? join(REPO_ROOT, '.pgdata', 'embedded')

export const EXAMPLES_DIR = join(REPO_ROOT, 'examples')

/** The API `serve` listens on by default (INTERLOCK_API_HOST / INTERLOCK_API_PORT). */
export const localApiUrl = (env: Readonly<Record<string, string | undefined>>): string =>
  `http://${env.INTERLOCK_API_HOST ?? '127.0.0.1'}:${env.INTERLOCK_API_PORT ?? '8080'}`
