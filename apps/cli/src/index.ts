// Public API of @interlock/cli: the command line as a function, and the one-process server it serves.
export { runCli, USAGE } from './cli.ts'
export {
  ensureAdminToken,
  type InterlockServer,
  loadConfigFolder,
  startInterlockServer,
} from './interlock-server.ts'
export type { CliIo } from './io.ts'
