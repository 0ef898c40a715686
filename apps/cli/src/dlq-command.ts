import type { ApiClient } from './api-client.ts'
import type { CliIo } from './io.ts'
import { cell, formatTable } from './table.ts'

/** `interlock dlq list`: dead-lettered side effects (alert deliveries, job starts). */
export const dlqList = async (io: CliIo, client: ApiClient, json: boolean): Promise<number> => {
  const items = await client.list('/api/dead-letters', 1_000)
  if (json) io.out(JSON.stringify(items, null, 2))
  else
    io.out(
      formatTable(
        ['ID', 'KIND', 'ATTEMPTS', 'LAST FAILED', 'REDRIVEN', 'ERROR'],
        items.map((item) => [
          cell(item.id),
          cell(item.kind),
          cell(item.attempts),
          cell(item.lastFailedAt),
          cell(item.redrivenAt),
          cell(item.error),
        ]),
      ),
    )
  return 0
}

/** `interlock dlq redrive <id>`: puts one entry back in its queue. */
export const dlqRedrive = async (
  io: CliIo,
  client: ApiClient,
  id: string,
  json: boolean,
): Promise<number> => {
  const answer = await client.request('POST', `/api/dead-letters/${encodeURIComponent(id)}/redrive`)
  io.out(json ? JSON.stringify(answer, null, 2) : `redriven dead letter ${id}`)
  return 0
}
