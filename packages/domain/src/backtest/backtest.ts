import { periodDecisionOf } from './period-decision.ts'
import { type RecordedRun, recordedInputsOf } from './recorded-history.ts'
import { recordedWorld } from './recorded-world.ts'
import { type ReplayConfig, replayRun } from './replay-run.ts'
import type { BacktestReport, DecisionField, PeriodComparison, PeriodDecision } from './report.ts'

/** What a backtest compares: the recorded runs, the candidate config, and where the history ends. */
export interface BacktestInput {
  /** The recorded streams of the periods to compare, each oldest event first. */
  readonly runs: ReadonlyArray<RecordedRun>
  readonly candidate: ReplayConfig
  /** Epoch milliseconds of the history's end (now): nothing after it is decided. */
  readonly until: number
}

/** How many blocking rules a summary lists per side. */
const TOP_BLOCKING_RULES = 10

const differencesOf = (live: PeriodDecision, candidate: PeriodDecision): ReadonlyArray<DecisionField> => {
  const fields: Array<[DecisionField, unknown, unknown]> = [
    ['outcome', live.outcome, candidate.outcome],
    ['triggeredAt', live.triggeredAt, candidate.triggeredAt],
    ['blockedBy', live.blockedBy.join('\n'), candidate.blockedBy.join('\n')],
    ['validationExhausted', live.validationExhausted, candidate.validationExhausted],
    ['excluded', live.excluded, candidate.excluded],
    ['slaWarning', live.sla.warning, candidate.sla.warning],
    ['slaBreach', live.sla.breach, candidate.sla.breach],
    ['slaVerdict', live.sla.verdict, candidate.sla.verdict],
    ['driftReruns', live.driftReruns, candidate.driftReruns],
    ['attempts', live.attempts, candidate.attempts],
  ]
  return fields.filter(([, a, b]) => a !== b).map(([field]) => field)
}

const triggerMove = (live: PeriodDecision, candidate: PeriodDecision): PeriodComparison['trigger'] => {
  if (live.triggeredAt === null) return candidate.triggeredAt === null ? 'same' : 'newly'
  if (candidate.triggeredAt === null) return 'never'
  const delta = Date.parse(candidate.triggeredAt) - Date.parse(live.triggeredAt)
  return delta < 0 ? 'earlier' : delta > 0 ? 'later' : 'same'
}

const topRules = (decisions: ReadonlyArray<PeriodDecision>) => {
  const counts = new Map<string, number>()
  for (const decision of decisions)
    for (const rule of decision.blockedBy) counts.set(rule, (counts.get(rule) ?? 0) + 1)
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_BLOCKING_RULES)
    .map(([rule, periods]) => ({ rule, periods }))
}

/**
 * Backtests a candidate config (issue #11): every recorded period is replayed through the run decider with
 * the candidate, its inputs re-issued at their recorded instants, and compared with what the live config
 * decided. Pure: the runs arrive decoded, nothing is read or written.
 */
export const backtest = (input: BacktestInput): BacktestReport => {
  let eventsFolded = 0
  let commandsDecided = 0
  const periods = input.runs.map((recorded): PeriodComparison => {
    const history = recordedInputsOf(recorded)
    const replayed = replayRun(
      recorded.run,
      history.inputs,
      input.candidate,
      recordedWorld(history),
      input.until,
    )
    eventsFolded += recorded.events.length + replayed.events.length
    commandsDecided += replayed.commands
    const live = periodDecisionOf(recorded.events.map((entry) => entry.event))
    const candidate = periodDecisionOf(replayed.events, replayed.wouldTrigger?.at ?? null)
    return {
      scheduleId: recorded.run.scheduleId,
      period: recorded.run.period,
      live,
      candidate,
      trigger: triggerMove(live, candidate),
      differences: differencesOf(live, candidate),
    }
  })
  const count = (move: PeriodComparison['trigger']) =>
    periods.filter((period) => period.trigger === move).length
  return {
    periods,
    summary: {
      periods: periods.length,
      differing: periods.filter((period) => period.differences.length > 0).length,
      triggeredEarlier: count('earlier'),
      triggeredLater: count('later'),
      neverTriggered: count('never'),
      newlyTriggered: count('newly'),
      slaVerdictChanges: periods
        .filter((period) => period.live.sla.verdict !== period.candidate.sla.verdict)
        .map((period) => ({
          scheduleId: period.scheduleId,
          period: period.period,
          live: period.live.sla.verdict,
          candidate: period.candidate.sla.verdict,
        })),
      blockingRules: {
        live: topRules(periods.map((period) => period.live)),
        candidate: topRules(periods.map((period) => period.candidate)),
      },
      eventsFolded,
      commandsDecided,
    },
  }
}
