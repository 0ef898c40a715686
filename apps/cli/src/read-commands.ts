import type { ApiClient } from './api-client.ts'
import type { CliIo } from './io.ts'
import { cell, formatTable } from './table.ts'

type Row = Readonly<Record<string, unknown>>

const field = (row: Row | undefined, name: string): unknown => row?.[name]
const slaOf = (run: Row | undefined): string => {
  const sla = (field(run, 'sla') ?? field(run, 'relativeSla')) as Row | null | undefined
  return cell(sla?.status)
}
const path = (id: string) => `/api/pipelines/${encodeURIComponent(id)}`

/** `interlock status [pipeline]`: each pipeline's last period, its state, readiness now and SLA. */
export const status = async (
  io: CliIo,
  client: ApiClient,
  only: string | undefined,
  json: boolean,
): Promise<number> => {
  const pipelines =
    only === undefined ? await client.list('/api/pipelines') : [(await client.get(path(only))) as Row]
  const rows = await Promise.all(
    pipelines.map(async (pipeline) => {
      const id = String(pipeline.pipelineId)
      const runs = await client.get(`${path(id)}/runs?limit=1`)
      const last = ((runs as { items?: ReadonlyArray<Row> }).items ?? [])[0]
      const readiness = (await client.get(`${path(id)}/readiness`).catch(() => undefined)) as Row | undefined
      return {
        pipelineId: id,
        status:
          pipeline.status ??
          (pipeline.removed === true ? 'removed' : pipeline.paused === true ? 'paused' : 'active'),
        dryRun: pipeline.dryRun ?? null,
        lastPeriod: field(last, 'period') ?? null,
        state: field(last, 'status') ?? null,
        ready: readiness === undefined ? null : readiness.passed === true,
        sla: last === undefined ? null : slaOf(last),
      }
    }),
  )
  if (json) io.out(JSON.stringify(rows, null, 2))
  else
    io.out(
      formatTable(
        ['PIPELINE', 'STATUS', 'LAST PERIOD', 'STATE', 'READY NOW', 'SLA'],
        rows.map((row) => [
          row.pipelineId,
          `${String(row.status)}${row.dryRun === true ? ' (dry run)' : ''}`,
          cell(row.lastPeriod),
          cell(row.state),
          row.ready === null ? '-' : row.ready ? 'yes' : 'no',
          cell(row.sla),
        ]),
      ),
    )
  return 0
}

/** `interlock runs <pipeline>`: its runs, newest period first. */
export const runs = async (
  io: CliIo,
  client: ApiClient,
  pipelineId: string,
  json: boolean,
): Promise<number> => {
  // The runs listing of an unknown pipeline is empty: ask for the pipeline first, for its 404.
  await client.get(path(pipelineId))
  const items = await client.list(`${path(pipelineId)}/runs`, 200)
  if (json) io.out(JSON.stringify(items, null, 2))
  else
    io.out(
      formatTable(
        ['PERIOD', 'SCHEDULE', 'STATUS', 'ATTEMPTS', 'RERUNS', 'FINISHED', 'SLA', 'POST-RUN'],
        items.map((run) => [
          cell(run.period),
          cell(run.scheduleId),
          `${cell(run.status)}${run.dryRun === true ? ' (dry run)' : ''}`,
          cell(run.attemptCount),
          cell(run.rerunCount),
          cell(run.finishedAt),
          slaOf(run),
          cell(run.postRunStatus),
        ]),
      ),
    )
  return 0
}

/** `interlock events [--pipeline] [--type] [--since]`: public events, newest first. */
export const events = async (
  io: CliIo,
  client: ApiClient,
  filter: {
    readonly pipeline?: string | undefined
    readonly type?: string | undefined
    readonly since?: string | undefined
    readonly limit: number
  },
  json: boolean,
): Promise<number> => {
  const query = new URLSearchParams()
  if (filter.pipeline !== undefined) query.set('pipeline', filter.pipeline)
  if (filter.type !== undefined) query.set('type', filter.type)
  if (filter.since !== undefined) query.set('since', filter.since)
  const items = await client.list(`/api/events?${query.toString()}`, filter.limit)
  if (json) io.out(JSON.stringify(items, null, 2))
  else
    io.out(
      formatTable(
        ['AT', 'TYPE', 'PIPELINE', 'PERIOD', 'MESSAGE'],
        items.map((event) => [
          cell(event.occurredAt),
          cell(event.type),
          cell(event.pipelineId),
          cell(event.period),
          cell(event.message),
        ]),
      ),
    )
  return 0
}

/** `interlock explain <pipeline> <period>`: the decision trace of a run. */
export const explain = async (
  io: CliIo,
  client: ApiClient,
  pipelineId: string,
  period: string,
  json: boolean,
  schedule?: string,
): Promise<number> => {
  const query = schedule === undefined ? '' : `?schedule=${encodeURIComponent(schedule)}`
  const answer = (await client.get(
    `${path(pipelineId)}/runs/${encodeURIComponent(period)}/explain${query}`,
  )) as Row
  io.out(json ? JSON.stringify(answer, null, 2) : String(answer.text ?? ''))
  return 0
}
