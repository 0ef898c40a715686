export { type ApiDeps, createApp, OPERATIONS } from './app.ts'
export type { AppEnv } from './app-env.ts'
export {
  type ApiToken,
  createToken,
  findToken,
  listTokens,
  revokeToken,
  TokenRequestInvalid,
} from './auth/api-token.ts'
export { allows, SCOPES, Scope } from './auth/scope.ts'
export { type Authenticator, databaseAuthenticator, type Principal } from './auth/token-authenticator.ts'
export { type ApiHost, apiDeps } from './compose.ts'
export { type ApiConfig, ApiConfigInvalid, DEFAULT_API_CONFIG, readApiConfig } from './config.ts'
export { openApiDocument } from './openapi/openapi-document.ts'
export type { ClockControl } from './routes/clock.ts'
export { type ApiServer, startApi } from './server.ts'
