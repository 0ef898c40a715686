import {
  type PipelineConfig,
  type ResolvedSchedule,
  type RunCommand,
  type RunKey,
  runStreamId,
} from '@interlock/domain'
import type { RunRow } from './sql.ts'

/** The checks of lifecycle §5, in the order a scan runs them (§5.1). */
export type WatchdogCheck =
  | 'stale-run'
  | 'missed-schedule'
  | 'inclusion-date'
  | 'reconcile'
  | 'schedule-sla'
  | 'trigger-deadline'
  | 'post-run'
  | 'relative-sla'

export const WATCHDOG_CHECKS: ReadonlyArray<WatchdogCheck> = [
  'stale-run',
  'missed-schedule',
  'inclusion-date',
  'reconcile',
  'schedule-sla',
  'trigger-deadline',
  'post-run',
  'relative-sla',
]

/** A pipeline the watchdog looks after, with its decoded config and resolved schedules. */
export interface WatchedPipeline {
  readonly pipelineId: string
  readonly version: number
  /** Dry-run pipelines get cron fires but no check (§5.1, L10). */
  readonly dryRun: boolean
  /** When the pipeline was registered, epoch ms (D10): no missed schedule before it. */
  readonly monitoringSince: number
  readonly config: PipelineConfig
  readonly schedules: ReadonlyArray<ResolvedSchedule>
}

/** One command the scan sends to one run stream. */
export interface CheckCommand {
  readonly check: WatchdogCheck
  readonly run: RunKey
  readonly command: RunCommand
  /**
   * Names the fact the command is about (check, stream and the instant or attempt it concerns), so the
   * same fact is decided once however many scans see it: `watchdog:<check>:<stream>:<fact>`.
   */
  readonly commandId: string
  /**
   * When the fact falls due (epoch ms): a scan sends only what is due, the most overdue first when it is
   * capped, and under a simulated clock queues its next scan for the earliest one still ahead.
   */
  readonly dueAt: number
  /** When the check stops making sense (epoch ms, exclusive), if it ever does. */
  readonly until?: number
}

/** Is the check due at `now`? */
export const isDue = (check: CheckCommand, now: number): boolean =>
  check.dueAt <= now && (check.until === undefined || now < check.until)

/** A check that applies only if the run's row (absent when nothing was recorded for it) says so. */
export interface KeyedCheck extends CheckCommand {
  readonly applies: (row: RunRow | undefined) => boolean
}

export const commandIdOf = (check: WatchdogCheck, run: RunKey, fact: string): string =>
  `watchdog:${check}:${runStreamId(run)}:${fact}`

export const identityOf = (run: RunKey): string =>
  `${run.pipelineId}\u0000${run.scheduleId}\u0000${run.period}`

const OPEN: ReadonlySet<string> = new Set(['waiting', 'evaluating', 'triggering', 'running'])

/** Nothing ever started for the period and it is not waiting for its `after` time (the decider's "never ran"). */
export const neverRan = (row: RunRow | undefined): boolean =>
  row === undefined || (row.status === 'waiting' && row.attemptCount === 0 && row.deferredUntil === null)

/** The run has no outcome yet (it may be waiting or live). */
export const isOpen = (row: RunRow | undefined): boolean => row === undefined || OPEN.has(row.status)
