import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ApiClient } from './api-client.ts'
import { CommandFailed } from './cli-error.ts'
import type { CliIo } from './io.ts'
import { cell, formatTable } from './table.ts'

/** One side of a period's comparison, as the API answers it. */
interface Decision {
  readonly outcome: string
  readonly triggeredAt: string | null
  readonly blockedBy: ReadonlyArray<string>
  readonly sla: { readonly verdict: string | null }
}

interface Comparison {
  readonly scheduleId: string
  readonly period: string
  readonly live: Decision
  readonly candidate: Decision
  readonly trigger: string
  readonly differences: ReadonlyArray<string>
}

interface BacktestAnswer {
  readonly periods: ReadonlyArray<Comparison>
  readonly summary: {
    readonly periods: number
    readonly differing: number
    readonly triggeredEarlier: number
    readonly triggeredLater: number
    readonly neverTriggered: number
    readonly newlyTriggered: number
    readonly slaVerdictChanges: ReadonlyArray<unknown>
    readonly blockingRules: { readonly candidate: ReadonlyArray<{ rule: string; periods: number }> }
  }
}

/** `06:05` of a trigger instant, `-` when nothing was triggered. */
const triggerCell = (decision: Decision): string =>
  decision.triggeredAt === null ? '-' : decision.triggeredAt.slice(0, 16).replace('T', ' ')

const decisionCell = (decision: Decision): string =>
  decision.blockedBy.length > 0 && decision.triggeredAt === null
    ? `${decision.outcome} (${decision.blockedBy.join(', ')})`
    : decision.outcome

/**
 * `interlock backtest <pipeline> --config candidate.yaml [--from DATE --to DATE]`: replays the recorded
 * periods with the candidate config through the API and prints, per period that differs, the live and the
 * candidate decision, then the summary. Writes nothing anywhere.
 */
export const backtestCommand = async (
  io: CliIo,
  client: ApiClient,
  request: {
    readonly pipelineId: string
    readonly configFile: string
    readonly from?: string | undefined
    readonly to?: string | undefined
    readonly schedule?: string | undefined
  },
  json: boolean,
): Promise<number> => {
  const file = resolve(io.cwd, request.configFile)
  let config: string
  try {
    config = await readFile(file, 'utf8')
  } catch (error) {
    throw new CommandFailed({
      problem: `cannot read the candidate config ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    })
  }
  const answer = (await client.request(
    'POST',
    `/api/pipelines/${encodeURIComponent(request.pipelineId)}/backtest`,
    {
      json: {
        config,
        ...(request.from === undefined ? {} : { from: request.from }),
        ...(request.to === undefined ? {} : { to: request.to }),
        ...(request.schedule === undefined ? {} : { schedule: request.schedule }),
      },
    },
  )) as BacktestAnswer
  if (json) {
    io.out(JSON.stringify(answer, null, 2))
    return 0
  }
  const differing = answer.periods.filter((period) => period.differences.length > 0)
  if (differing.length > 0)
    io.out(
      formatTable(
        ['PERIOD', 'SCHEDULE', 'LIVE', 'TRIGGERED', 'CANDIDATE', 'TRIGGERED', 'SLA', 'DIFFERS IN'],
        differing.map((period) => [
          period.period,
          period.scheduleId,
          decisionCell(period.live),
          triggerCell(period.live),
          decisionCell(period.candidate),
          triggerCell(period.candidate),
          `${cell(period.live.sla.verdict)} → ${cell(period.candidate.sla.verdict)}`,
          period.differences.join(', '),
        ]),
      ),
    )
  const summary = answer.summary
  io.out(
    `${summary.periods} period(s) compared, ${summary.differing} differ: triggered earlier ${summary.triggeredEarlier}, later ${summary.triggeredLater}, never ${summary.neverTriggered}, newly ${summary.newlyTriggered}; SLA verdict changes ${summary.slaVerdictChanges.length}`,
  )
  const rules = summary.blockingRules.candidate
  if (rules.length > 0)
    io.out(
      `blocked most often (candidate): ${rules.map((rule) => `${rule.rule} (${rule.periods})`).join(', ')}`,
    )
  return 0
}
