import type { AppEnv } from '../app-env.ts'

/** Who sent a command over HTTP, as every command records it: the token as actor, the request id as correlation. */
export const commandSource = (c: { var: AppEnv['Variables'] }) => ({
  actor: `token:${c.var.principal.tokenId}`,
  correlationId: c.var.requestId,
})
