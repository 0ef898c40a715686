import { appendFile } from 'node:fs/promises'
import type { Alert } from './alert.ts'
import type { AlertRoute } from './alert-route.ts'
import type { AlertSink } from './alert-sink.ts'

/**
 * Appends each alert as one JSON line (NDJSON) to a file. One write per line, opened for appending, so
 * two processors sharing the file interleave whole lines.
 */
export function makeFileSink(route: AlertRoute, path: string): AlertSink {
  return {
    name: 'file',
    route,
    deliver: (alert: Alert) =>
      appendFile(path, `${JSON.stringify(alert)}\n`, { encoding: 'utf8', flag: 'a' }),
  }
}
