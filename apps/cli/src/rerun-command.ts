import type { ApiClient } from './api-client.ts'
import { CommandFailed } from './cli-error.ts'
import type { CliIo } from './io.ts'

/** `interlock rerun <pipeline> <period> --reason`: asks for a rerun; exit 1 when it is rejected. */
export const rerun = async (
  io: CliIo,
  client: ApiClient,
  request: {
    readonly pipelineId: string
    readonly period: string
    readonly reason?: string | undefined
    readonly schedule?: string | undefined
  },
  json: boolean,
): Promise<number> => {
  const answer = (await client.request(
    'POST',
    `/api/pipelines/${encodeURIComponent(request.pipelineId)}/reruns`,
    {
      json: {
        period: request.period,
        ...(request.reason === undefined ? {} : { reason: request.reason }),
        ...(request.schedule === undefined ? {} : { schedule: request.schedule }),
      },
    },
  )) as { decision: string; why: string; requestId: string }
  if (json) io.out(JSON.stringify(answer, null, 2))
  else
    io.out(
      `rerun ${request.pipelineId} ${request.period}: ${answer.decision} — ${answer.why} (request ${answer.requestId})`,
    )
  if (answer.decision === 'rejected' && !json)
    throw new CommandFailed({ problem: `the rerun was rejected: ${answer.why}` })
  return answer.decision === 'rejected' ? 1 : 0
}
