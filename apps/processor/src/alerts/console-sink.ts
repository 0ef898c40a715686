import type { Alert } from './alert.ts'
import type { AlertRoute } from './alert-route.ts'
import type { AlertSink } from './alert-sink.ts'

/** Writes one line of output (stdout unless a test captures it). */
export type WriteLine = (line: string) => void

export const writeStdout: WriteLine = (line) => {
  process.stdout.write(`${line}\n`)
}

/** Prints each alert as one JSON line, for log collectors and the log-only mode (lifecycle §9.4 step 2). */
export function makeConsoleSink(route: AlertRoute, writeLine: WriteLine = writeStdout): AlertSink {
  return {
    name: 'console',
    route,
    deliver: async (alert: Alert) => {
      writeLine(JSON.stringify(alert))
    },
  }
}
