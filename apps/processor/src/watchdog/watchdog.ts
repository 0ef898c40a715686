import {
  addDays,
  instantOf,
  pipelineSchedules,
  RunCommand,
  type RunKey,
  runStreamId,
} from '@interlock/domain'
import { Schema } from 'effect'
import type pg from 'pg'
import type { Clock } from '../clock.ts'
import type { CommandBus } from '../command-bus.ts'
import type { ReactorLog } from '../reactor.ts'
import type { TimerJob, Timers } from '../timers.ts'
import { CRON_TIMER_PREFIX, type CronFire, cronFiresAhead, isCurrentFire, nextFireOf } from './cron-fires.ts'
import { PipelineCatalog } from './pipeline-catalog.ts'
import {
  LOOKBACK_DAYS,
  postRunCheck,
  reconcileChecks,
  relativeSlaCheck,
  staleRunCheck,
} from './run-checks.ts'
import { scheduleChecks } from './schedule-checks.ts'
import {
  type RunRow,
  releaseScanLock,
  selectMonitoredRuns,
  selectNextLockExpiry,
  selectRunsByKey,
  selectStaleRuns,
  selectTriggerSensors,
  tryScanLock,
} from './sql.ts'
import {
  type CheckCommand,
  identityOf,
  isDue,
  type KeyedCheck,
  WATCHDOG_CHECKS,
  type WatchdogCheck,
  type WatchedPipeline,
} from './watchdog-check.ts'

/** The stream name the scan's own timer carries: not a run stream, so the timer worker hands it here. */
export const WATCHDOG_TIMER_STREAM = 'watchdog'
/** Commands one scan sends at most; the rest, least overdue last, wait for the next scan. */
export const MAX_COMMANDS_PER_SCAN = 2_000
/** Cron fire timers one scan queues at most, earliest first (a config load of 10,000 cron pipelines). */
export const MAX_CRON_TIMERS_PER_SCAN = 5_000
/**
 * Commands in flight at once: half the pool, between 2 and 8: enough to hide round trips (a burst of 2,000
 * missed schedules at 10,000 pipelines took 5.8 s at 4, 2.9 s at 8), and half the pool left to the reactor,
 * the projections and the API.
 */
const sendConcurrency = (poolSize: number | undefined): number =>
  Math.max(2, Math.min(8, Math.floor((poolSize ?? 10) / 2)))
/** How long a scan remembers it sent a command: a fact still showing after that is sent (and decided) again. */
const SENT_MEMORY_MS = 24 * 3_600_000
const DAY_MS = 24 * 3_600_000
/** Under a simulated clock an idle processor still scans at least this often (virtual time). */
export const SIMULATED_HEARTBEAT_MS = 3_600_000
/** Timers are queued in transactions of this many. */
const TIMER_BATCH = 500

const encodeCommand = Schema.encodeSync(RunCommand)

/** What one scan did. */
export interface ScanReport {
  readonly at: number
  /** False when another processor held the scan lock: nothing was done. */
  readonly ran: boolean
  readonly pipelines: number
  /** Commands sent per check (a command the store had seen counts too: it was decided once). */
  readonly sent: Readonly<Record<WatchdogCheck, number>>
  /** Commands left for the next scan by {@link MAX_COMMANDS_PER_SCAN}. */
  readonly postponed: number
  /** The earliest instant a known check falls due after this scan, if any. */
  readonly nextDueAt: number | undefined
  readonly cronTimersQueued: number
  /** Commands or timers that failed (logged; the next scan tries again). */
  readonly failures: number
  readonly durationMs: number
  /** Of durationMs, the time spent finding the checks (catalog, cron fires, projection queries) before sending any. */
  readonly findMs: number
}

export interface WatchdogOptions {
  readonly bus: CommandBus
  readonly timers: Timers
  readonly pool: pg.Pool
  readonly clock: Clock
  readonly intervalSeconds: number
  readonly log?: ReactorLog
}

const noChecks = (): Record<WatchdogCheck, number> =>
  Object.fromEntries(WATCHDOG_CHECKS.map((check) => [check, 0])) as Record<WatchdogCheck, number>

/**
 * The watchdog (lifecycle §5 under L6): a scan of the projections that finds the run streams needing a
 * check and sends each the check command under an id naming the fact, so a fact is decided once however many
 * scans see it; and the keeper of the cron fires (C4). The scan is itself a timer on the timer queue, re-queued
 * every interval, so a simulated clock runs it in order with every other timer as virtual time advances.
 */
export class Watchdog {
  private readonly bus: CommandBus
  private readonly timers: Timers
  private readonly pool: pg.Pool
  private readonly clock: Clock
  private readonly intervalMs: number
  private readonly log: ReactorLog
  private readonly catalog = new PipelineCatalog()
  /** Command ids (with the config version) sent, and when: the same fact is not sent twice. */
  private readonly sent = new Map<string, number>()
  /** Cron timers queued by this process, by timer key, with their instant. */
  private readonly queuedFires = new Map<string, number>()
  /** Simulated clock: the scans this process has queued and not yet run. */
  private readonly queuedScans = new Set<number>()

  constructor(options: WatchdogOptions) {
    this.bus = options.bus
    this.timers = options.timers
    this.pool = options.pool
    this.clock = options.clock
    this.intervalMs = options.intervalSeconds * 1_000
    this.log = options.log ?? (() => {})
  }

  /** Queues the next scan (idempotent: every processor names it the same). */
  async start(): Promise<void> {
    await this.queueScan(this.gridAfter(this.clock.now()))
  }

  /**
   * Handles any due timer: the watchdog's own (a scan, a cron fire) here, every other one through `deliver`
   * (the command bus). Under a simulated clock, whatever a timer changed is looked at by a scan at the next
   * interval.
   */
  async handle(timer: TimerJob, deliver: () => Promise<unknown>): Promise<void> {
    if (Watchdog.owns(timer)) {
      await this.fire(timer)
      if (timer.streamId === WATCHDOG_TIMER_STREAM) return
    } else {
      await deliver()
    }
    await this.noticeActivity()
  }

  /**
   * Simulated clock: something may have changed the projections (a timer fired, a command came in before
   * `advanceTo`), so make sure a scan runs at the next interval. The system clock scans every interval anyway.
   */
  async noticeActivity(): Promise<void> {
    if (this.clock.mode === 'system') return
    await this.queueScanBy(this.gridAfter(this.clock.now()))
  }

  /** Is this timer the watchdog's (a scan, or a cron fire)? Those go to {@link fire}, not to the command bus. */
  static owns(timer: TimerJob): boolean {
    return timer.streamId === WATCHDOG_TIMER_STREAM || timer.timerId.startsWith(CRON_TIMER_PREFIX)
  }

  /**
   * Handles a due timer of the watchdog's: a scan or a cron fire. With the system clock a scan queues the next
   * one first, every interval, so the chain survives a failing scan. Under a simulated clock the next scan
   * is queued after it: at the earliest instant a known check falls due, at least every
   * {@link SIMULATED_HEARTBEAT_MS} (and after anything happens, {@link noticeActivity}), so advancing virtual
   * days does not cost a scan per interval.
   */
  async fire(timer: TimerJob): Promise<void> {
    if (timer.streamId !== WATCHDOG_TIMER_STREAM) return this.fireCron(timer)
    this.queuedScans.delete(timer.fireAt)
    if (this.clock.mode === 'system') {
      await this.queueScan(this.gridAfter(timer.fireAt))
      await this.scan(this.clock.now())
      return
    }
    const now = this.clock.now()
    const report = await this.scan(now)
    const heartbeat = now + Math.max(this.intervalMs, SIMULATED_HEARTBEAT_MS)
    const wanted =
      report.postponed > 0 || report.failures > 0
        ? now
        : Math.min(heartbeat, Math.max(now, (report.nextDueAt ?? heartbeat) - 1))
    await this.queueScanBy(this.gridAfter(wanted))
  }

  /**
   * One scan at `now`: keeps cron fires queued, then sends every check command due. Never throws for one
   * pipeline's trouble (§5.1): failures are logged and counted, and the next scan tries again.
   */
  async scan(now: number = this.clock.now()): Promise<ScanReport> {
    const began = performance.now()
    const sent = noChecks()
    const client = await this.pool.connect()
    let locked = false
    try {
      locked = await tryScanLock(client)
      if (!locked) {
        return {
          at: now,
          ran: false,
          pipelines: 0,
          sent,
          postponed: 0,
          nextDueAt: undefined,
          cronTimersQueued: 0,
          failures: 0,
          durationMs: 0,
          findMs: 0,
        }
      }
      const pipelines = await this.catalog.load(client, (pipelineId, error) =>
        this.log('error', 'watchdog skips a pipeline whose stored config does not decode', {
          pipelineId,
          error: String(error),
        }),
      )
      const timerOutcome = await this.queueCronFires(pipelines, now)
      const { checks, nextLockExpiry } = await this.findChecks(client, pipelines, now)
      const versions = new Map(pipelines.map((pipeline) => [pipeline.pipelineId, pipeline.version]))
      const remembered = (check: CheckCommand) => memoryKey(check, versions)
      const due = checks.filter((check) => isDue(check, now) && !this.sent.has(remembered(check)))
      const ahead = checks.filter((check) => check.dueAt > now).map((check) => check.dueAt)
      if (nextLockExpiry !== undefined) ahead.push(nextLockExpiry + 1)
      const nextDueAt = ahead.length === 0 ? undefined : Math.min(...ahead)
      const order = (check: CheckCommand) => WATCHDOG_CHECKS.indexOf(check.check)
      due.sort((a, b) => order(a) - order(b) || a.dueAt - b.dueAt)
      const batch = due.slice(0, MAX_COMMANDS_PER_SCAN)
      const findMs = performance.now() - began
      const failures = await this.send(batch, remembered, now, sent)
      this.forget(now)
      return {
        at: now,
        ran: true,
        pipelines: pipelines.length,
        sent,
        postponed: due.length - batch.length,
        nextDueAt,
        cronTimersQueued: timerOutcome.queued,
        failures: failures + timerOutcome.failures,
        durationMs: performance.now() - began,
        findMs,
      }
    } finally {
      // A connection whose unlock failed may still hold the lock: it is closed, not returned to the pool.
      const unlocked =
        !locked ||
        (await releaseScanLock(client).then(
          () => true,
          () => false,
        ))
      client.release(!unlocked)
    }
  }

  /**
   * Every check command the projections call for around `now`, due or still ahead, before the memory of
   * what was sent; and the next lock expiry (stale runs are found only once due).
   */
  private async findChecks(
    db: pg.ClientBase,
    pipelines: ReadonlyArray<WatchedPipeline>,
    now: number,
  ): Promise<{ readonly checks: ReadonlyArray<CheckCommand>; readonly nextLockExpiry: number | undefined }> {
    const checked = pipelines.filter((pipeline) => !pipeline.dryRun)
    const byId = new Map(checked.map((pipeline) => [pipeline.pipelineId, pipeline]))
    const found: CheckCommand[] = []

    for (const row of await selectStaleRuns(db, now)) {
      const check = byId.has(row.pipelineId) ? staleRunCheck(row) : undefined
      if (check !== undefined) found.push(check)
    }

    const keyed: KeyedCheck[] = checked.flatMap((pipeline) => scheduleChecks(pipeline, now))
    const triggers = checked.flatMap((pipeline) =>
      pipeline.schedules.flatMap((schedule) =>
        schedule.trigger === undefined
          ? []
          : [{ pipelineId: pipeline.pipelineId, triggerKey: schedule.trigger.key }],
      ),
    )
    const since = now - (LOOKBACK_DAYS + 1) * DAY_MS
    for (const sensor of await selectTriggerSensors(db, triggers, since)) {
      const pipeline = byId.get(sensor.pipelineId)
      if (pipeline !== undefined) keyed.push(...reconcileChecks(pipeline, sensor, now))
    }
    const keys = new Map<string, RunKey>()
    for (const check of keyed) keys.set(identityOf(check.run), check.run)
    const rows = new Map<string, RunRow>()
    for (const row of await selectRunsByKey(db, [...keys.values()])) rows.set(identityOf(row), row)
    for (const check of keyed) if (check.applies(rows.get(identityOf(check.run)))) found.push(check)

    const monitored = checked.filter(
      (pipeline) =>
        (pipeline.config.postRun?.rules.length ?? 0) > 0 ||
        pipeline.schedules.some((schedule) => schedule.sla?.maxDuration !== undefined),
    )
    const sincePeriod = addDays(new Date(now).toISOString().slice(0, 10), -(LOOKBACK_DAYS + 1))
    for (const row of await selectMonitoredRuns(
      db,
      monitored.map((pipeline) => pipeline.pipelineId),
      sincePeriod,
    )) {
      const pipeline = byId.get(row.pipelineId)
      if (pipeline === undefined) continue
      const postRun = postRunCheck(pipeline, row)
      if (postRun !== undefined) found.push(postRun)
      const relative = relativeSlaCheck(pipeline, row)
      if (relative !== undefined) found.push(relative)
    }
    return { checks: found, nextLockExpiry: await selectNextLockExpiry(db, now) }
  }

  /** Sends a batch of check commands, a few at a time; remembers each one sent. */
  private async send(
    batch: ReadonlyArray<CheckCommand>,
    remembered: (check: CheckCommand) => string,
    now: number,
    sent: Record<WatchdogCheck, number>,
  ): Promise<number> {
    let failures = 0
    let next = 0
    const worker = async () => {
      while (next < batch.length) {
        const check = batch[next++]!
        try {
          await this.bus.runCommand(check.run, check.command, {
            actor: 'watchdog',
            commandId: check.commandId,
          })
          this.sent.set(remembered(check), now)
          sent[check.check]++
        } catch (error) {
          failures++
          this.log('warn', 'watchdog check failed; the next scan tries again', {
            check: check.check,
            stream: runStreamId(check.run),
            error: String(error),
          })
        }
      }
    }
    const lanes = sendConcurrency(this.bus.store.pool.options.max)
    await Promise.all(Array.from({ length: Math.min(lanes, batch.length) }, worker))
    return failures
  }

  /** Queues every cron fire due before the scan after next (and each schedule's next one), once per process. */
  private async queueCronFires(
    pipelines: ReadonlyArray<WatchedPipeline>,
    now: number,
  ): Promise<{ readonly queued: number; readonly failures: number }> {
    const until = now + 2 * this.intervalMs
    const missing = pipelines
      .flatMap((pipeline) => cronFiresAhead(pipeline, now, until))
      .filter((fire) => !this.queuedFires.has(fireKey(fire)))
      .sort((a, b) => a.fireAt - b.fireAt)
      .slice(0, MAX_CRON_TIMERS_PER_SCAN)
    let queued = 0
    let failures = 0
    for (let from = 0; from < missing.length; from += TIMER_BATCH) {
      const chunk = missing.slice(from, from + TIMER_BATCH)
      try {
        await this.bus.store.transaction(async (tx) => {
          await this.timers.scheduleMany(tx, chunk.map(cronTimerJob))
        })
        for (const fire of chunk) this.queuedFires.set(fireKey(fire), fire.fireAt)
        queued += chunk.length
      } catch (error) {
        failures += chunk.length
        this.log('warn', 'watchdog could not queue cron fires; the next scan tries again', {
          fires: chunk.length,
          error: String(error),
        })
      }
    }
    return { queued, failures }
  }

  /**
   * A cron fire fell due: deliver `FireCron` to its period if the pipeline's current config still fires
   * then (C4), and queue the schedule's next fire at once, so a fire chain never waits for a scan.
   */
  private async fireCron(timer: TimerJob): Promise<void> {
    const pipeline = await this.bus.pipeline(timer.run.pipelineId)
    if (pipeline.status !== 'Registered') return
    const current = { pipelineId: timer.run.pipelineId, schedules: pipelineSchedules(pipeline.config) }
    if (!isCurrentFire(current, timer.run, timer.fireAt)) {
      this.log('info', 'dropped a cron fire the current config no longer has', {
        stream: timer.streamId,
        timerId: timer.timerId,
      })
      return
    }
    await this.bus.fireTimer(timer)
    if (pipeline.paused) return
    const next = nextFireOf(current, timer.run.scheduleId, timer.fireAt)
    if (next === undefined || this.queuedFires.has(fireKey(next))) return
    await this.bus.store.transaction((tx) => this.timers.schedule(tx, cronTimerJob(next)))
    this.queuedFires.set(fireKey(next), next.fireAt)
  }

  /** The first instant on the interval grid after `instant` (every processor computes the same one). */
  private gridAfter(instant: number): number {
    return (Math.floor(instant / this.intervalMs) + 1) * this.intervalMs
  }

  /** Simulated clock: queues a scan at `fireAt` unless one is queued already at or before it. */
  private async queueScanBy(fireAt: number): Promise<void> {
    for (const queued of this.queuedScans) if (queued <= fireAt) return
    await this.queueScan(fireAt)
  }

  /** Queues a scan at `fireAt` (idempotent by its timer key). */
  private async queueScan(fireAt: number): Promise<void> {
    this.queuedScans.add(fireAt)
    await this.bus.store.transaction((tx) =>
      this.timers.schedule(tx, {
        streamId: WATCHDOG_TIMER_STREAM,
        run: { pipelineId: WATCHDOG_TIMER_STREAM, scheduleId: 'scan', period: '' },
        timerId: `scan/${new Date(fireAt).toISOString()}`,
        fireAt,
        command: { _tag: 'WatchdogScan' },
      }),
    )
  }

  private forget(now: number): void {
    for (const [key, at] of this.sent) if (now - at > SENT_MEMORY_MS) this.sent.delete(key)
    for (const [key, fireAt] of this.queuedFires) if (fireAt < now) this.queuedFires.delete(key)
  }
}

/** A command is remembered with its pipeline's config version: a new version looks at every fact again. */
const memoryKey = (check: CheckCommand, versions: ReadonlyMap<string, number>): string =>
  `${check.commandId}@${versions.get(check.run.pipelineId) ?? 0}`

const fireKey = (fire: CronFire): string => `${runStreamId(fire.run)}/${fire.timerId}`

const cronTimerJob = (fire: CronFire): TimerJob => ({
  streamId: runStreamId(fire.run),
  run: fire.run,
  timerId: fire.timerId,
  fireAt: fire.fireAt,
  command: encodeCommand({ _tag: 'FireCron', firedAt: instantOf(fire.fireAt) }),
})
