import type { Principal } from './auth/token-authenticator.ts'
import type { RequestLog } from './middleware/request-scoped-log.ts'

/** What middleware leaves on the Hono context for the handlers after it. */
export interface AppEnv {
  Variables: {
    requestId: string
    /** The request's logger: every line carries the request id. */
    log: RequestLog
    /** Set by bearerAuth on the routes that need a token. */
    principal: Principal
  }
}
