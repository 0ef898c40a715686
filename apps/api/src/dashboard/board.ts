import {
  type ExecutionPeriod,
  evaluateRules,
  type RuleResult,
  sensorsForPeriod,
  ValidationConfig,
} from '@interlock/domain'
import type { RunStatus } from '@interlock/projections'
import { Either, Schema } from 'effect'
import type { BoardRow } from './dashboard-sql.ts'

/** What a card says a pipeline is doing in its current period. */
export const CARD_STATES = [
  'failed',
  'evaluating',
  'waiting',
  'running',
  'paused',
  'dry-run',
  'excluded',
  'succeeded',
] as const
export type CardState = (typeof CARD_STATES)[number]

/** Readiness of the current period: the rules evaluated against the latest sensors, now. */
export type Readiness =
  | { readonly _tag: 'NotJudged' }
  | { readonly _tag: 'Ready'; readonly rules: number }
  | { readonly _tag: 'Blocked'; readonly rules: number; readonly blocking: ReadonlyArray<RuleResult> }

/** Where the SLA of the current period stands: a countdown, or its verdict. */
export type SlaView =
  | { readonly _tag: 'None' }
  | { readonly _tag: 'Countdown'; readonly breachAt: number; readonly warned: boolean }
  | { readonly _tag: 'Verdict'; readonly verdict: 'met' | 'breached' }

export interface BoardCard {
  readonly pipelineId: string
  readonly owner: string | null
  readonly description: string | null
  readonly state: CardState
  /** The run status behind the state, when it says more (`validation_exhausted`, `triggering`). */
  readonly detail: string | null
  readonly scheduleId: string
  readonly period: string | null
  readonly attempts: number
  readonly reruns: number
  readonly readiness: Readiness
  readonly sla: SlaView
  readonly lastResult: BoardRow['lastResult']
}

const RUN_STATES: Record<RunStatus, CardState> = {
  waiting: 'waiting',
  evaluating: 'evaluating',
  triggering: 'running',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  validation_exhausted: 'failed',
  excluded: 'excluded',
}

/** The state of a pipeline's current period: paused and dry-run first, then its newest run. */
export function cardStateOf(row: Pick<BoardRow, 'paused' | 'dryRun' | 'run'>): CardState {
  if (row.paused) return 'paused'
  if (row.dryRun) return 'dry-run'
  return row.run === null ? 'waiting' : RUN_STATES[row.run.status]
}

/** The SLA clock that matters on the card: the absolute one, else the relative one. */
export function slaViewOf(run: BoardRow['run']): SlaView {
  if (run === null) return { _tag: 'None' }
  const clocks = [
    { at: run.slaBreachAt, status: run.slaStatus },
    { at: run.relativeSlaBreachAt, status: run.relativeSlaStatus },
  ]
  const clock = clocks.find((candidate) => candidate.at !== null && candidate.status !== null)
  if (clock === undefined || clock.at === null || clock.status === null) return { _tag: 'None' }
  if (clock.status === 'met' || clock.status === 'breached') return { _tag: 'Verdict', verdict: clock.status }
  return { _tag: 'Countdown', breachAt: clock.at.getTime(), warned: clock.status === 'warning' }
}

const decodeValidation = Schema.decodeUnknownEither(ValidationConfig)

/**
 * Decoded validation blocks by config hash: a board of a thousand pipelines decodes each config once,
 * not on every render. Bounded so that a long-lived API with churning configs cannot grow it forever.
 */
const MAX_CACHED_VALIDATIONS = 5_000
const validations = new Map<string, ValidationConfig | null>()

function validationOf(row: Pick<BoardRow, 'hash' | 'validation'>): ValidationConfig | null {
  const cached = validations.get(row.hash)
  if (cached !== undefined) return cached
  const decoded = decodeValidation(row.validation ?? {})
  const validation = Either.isRight(decoded) ? decoded.right : null
  if (validations.size >= MAX_CACHED_VALIDATIONS) validations.clear()
  validations.set(row.hash, validation)
  return validation
}

/**
 * The rules of the pipeline against its latest sensors (as the rules of the current period see them, R2)
 * at `now`: only while the period still waits for its data. A running or finished period is not judged.
 */
export function readinessOf(
  row: Pick<BoardRow, 'hash' | 'validation' | 'sensors' | 'run'>,
  state: CardState,
  now: number,
): Readiness {
  if (state !== 'waiting' && state !== 'evaluating' && state !== 'paused' && state !== 'dry-run') {
    return { _tag: 'NotJudged' }
  }
  const validation = validationOf(row)
  if (validation === null || validation.rules.length === 0) return { _tag: 'NotJudged' }
  const view =
    row.run === null ? row.sensors : sensorsForPeriod(row.sensors, row.run.period as ExecutionPeriod)
  const outcome = evaluateRules(validation, view, now)
  const rules = outcome.results.length
  return outcome.passed
    ? { _tag: 'Ready', rules }
    : { _tag: 'Blocked', rules, blocking: outcome.results.filter((result) => !result.passed) }
}

/** A board row as its card. */
export function boardCardOf(row: BoardRow, now: number): BoardCard {
  const state = cardStateOf(row)
  const status = row.run?.status
  return {
    pipelineId: row.pipelineId,
    owner: row.owner,
    description: row.description,
    state,
    detail:
      row.paused && row.pauseReason !== null
        ? row.pauseReason
        : status === 'validation_exhausted' || status === 'triggering'
          ? status.replace('_', ' ')
          : state === 'dry-run' && status !== undefined
            ? status.replace('_', ' ')
            : null,
    scheduleId: row.run?.scheduleId ?? 'default',
    period: row.run?.period ?? null,
    attempts: row.run?.attemptCount ?? 0,
    reruns: row.run?.rerunCount ?? 0,
    readiness: readinessOf(row, state, now),
    sla: slaViewOf(row.run),
    lastResult: row.lastResult,
  }
}

/** How bad a card is: lower is worse. A breached SLA ranks right after a failure, whatever the state. */
export function severityRank(card: Pick<BoardCard, 'state' | 'sla'>): number {
  if (card.state === 'failed') return 0
  if (card.sla._tag === 'Verdict' && card.sla.verdict === 'breached') return 1
  if (card.sla._tag === 'Countdown' && card.sla.warned) return 2
  return 3 + CARD_STATES.indexOf(card.state)
}

/** Cards with the worst first, ties by pipeline id. */
export function worstFirst(cards: ReadonlyArray<BoardCard>): ReadonlyArray<BoardCard> {
  return [...cards].sort(
    (a, b) =>
      severityRank(a) - severityRank(b) ||
      (a.pipelineId < b.pipelineId ? -1 : a.pipelineId > b.pipelineId ? 1 : 0),
  )
}
