import type { Logger } from 'pino'

/** The logger a request's handlers use: every line carries the request's bindings (request id, token id). */
export interface RequestLog {
  info(fields: object, message?: string): void
  warn(fields: object, message?: string): void
  error(fields: object, message?: string): void
  /** The same log with more bindings (e.g. the token once it is known). */
  with(bindings: Readonly<Record<string, string>>): RequestLog
}

/**
 * A RequestLog that adds its bindings to each line it writes instead of making a pino child per request:
 * a child serialises its bindings when it is made, and most requests write one line, so two children per
 * request cost more than the line itself.
 */
export function requestScopedLog(logger: Logger, bindings: Readonly<Record<string, string>>): RequestLog {
  return {
    info: (fields, message) => logger.info({ ...bindings, ...fields }, message),
    warn: (fields, message) => logger.warn({ ...bindings, ...fields }, message),
    error: (fields, message) => logger.error({ ...bindings, ...fields }, message),
    with: (more) => requestScopedLog(logger, { ...bindings, ...more }),
  }
}
