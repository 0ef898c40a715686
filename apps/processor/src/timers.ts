import type pg from 'pg'
import type { PgBoss } from 'pg-boss'
import type { Clock, SimulatedClock } from './clock.ts'

/** The pg-boss queue every timer goes through. `exclusive`: one queued or running job per timer key. */
export const TIMER_QUEUE = 'interlock-timer'

/** What a timer carries: the command to send to a stream at an instant. The command stays encoded. */
export interface TimerJob {
  readonly streamId: string
  /** What the stream is about (stream ids cannot be parsed back). */
  readonly run: { readonly pipelineId: string; readonly scheduleId: string; readonly period: string }
  readonly timerId: string
  /** Epoch milliseconds. */
  readonly fireAt: number
  readonly command: unknown
}

export type FireTimer = (timer: TimerJob) => Promise<void>

/** Seconds a worker may hold a timer before pg-boss hands it to another worker. */
const TIMER_EXPIRE_SECONDS = 300
/** How often idle timer workers look for due jobs (pg-boss polls; 0.5 s is its floor). */
const TIMER_POLL_SECONDS = 0.5

/**
 * Timers on pg-boss. A timer is scheduled inside the transaction that appends the events asking for
 * it, so it exists exactly when they do. It only sends a command; the decider re-checks the state when
 * it arrives, so an early, late, duplicate or lost timer is harmless.
 *
 * With the system clock, pg-boss workers fire timers when their `startAfter` passes. With a simulated
 * clock there are no workers: `advanceTo` fires every due timer in fireAt order, moving the virtual
 * clock to each one, and waits for the effects of each before looking for the next.
 */
export class Timers {
  private readonly boss: PgBoss
  private readonly clock: Clock

  constructor(boss: PgBoss, clock: Clock) {
    this.boss = boss
    this.clock = clock
  }

  async createQueue(): Promise<void> {
    await this.boss.createQueue(TIMER_QUEUE, {
      policy: 'exclusive',
      retryLimit: 5,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: TIMER_EXPIRE_SECONDS,
    })
  }

  /** Schedules a timer in the caller's transaction. A timer already queued under the same key is kept. */
  async schedule(tx: pg.ClientBase, timer: TimerJob): Promise<void> {
    await this.boss.send(
      TIMER_QUEUE,
      { ...timer },
      {
        singletonKey: timerKey(timer),
        startAfter: new Date(this.clock.mode === 'system' ? timer.fireAt : Date.now() + SIMULATED_HOLD_MS),
        db: { executeSql: (text, values) => tx.query(text, values as unknown[]) },
      },
    )
  }

  /**
   * Schedules many timers in the caller's transaction in one statement (the watchdog queues thousands
   * of cron fires at once). A timer already queued under the same key is kept, as with `schedule`.
   */
  async scheduleMany(tx: pg.ClientBase, timers: ReadonlyArray<TimerJob>): Promise<void> {
    if (timers.length === 0) return
    await this.boss.insert(
      TIMER_QUEUE,
      timers.map((timer) => ({
        data: { ...timer },
        singletonKey: timerKey(timer),
        startAfter: new Date(
          this.clock.mode === 'system' ? timer.fireAt : Date.now() + SIMULATED_HOLD_MS,
        ).toISOString(),
      })),
      { db: { executeSql: (text, values) => tx.query(text, values as unknown[]) } },
    )
  }

  /** Starts pg-boss workers that fire timers as they fall due (system clock only). */
  async work(fire: FireTimer, options: { readonly batchSize?: number } = {}): Promise<void> {
    if (this.clock.mode !== 'system')
      throw new Error('timers under a simulated clock fire through advanceTo, not workers')
    await this.boss.work<TimerJob>(
      TIMER_QUEUE,
      { batchSize: options.batchSize ?? 10, pollingIntervalSeconds: TIMER_POLL_SECONDS },
      async (jobs) => {
        for (const job of jobs) await fire(job.data)
      },
    )
  }

  /**
   * Simulated clock: fires, in fireAt order, every timer due at or before `to` (including timers that
   * firing schedules on the way), then leaves the clock at `to`. `settle` runs after each timer so its
   * effects (reactors, their commands) land before the next timer is looked for. Returns how many fired.
   */
  async advanceTo(
    clock: SimulatedClock,
    to: number,
    fire: FireTimer,
    settle: () => Promise<void>,
  ): Promise<number> {
    let fired = 0
    for (;;) {
      const due = await this.earliestDue(to)
      if (due === undefined) break
      clock.moveTo(due.data.fireAt)
      await fire(due.data)
      await this.boss.deleteJob(TIMER_QUEUE, due.id)
      await settle()
      fired++
    }
    clock.moveTo(to)
    await settle()
    return fired
  }

  /** Timers waiting to fire, earliest first (for the API and tests). */
  async pending(): Promise<ReadonlyArray<TimerJob>> {
    const jobs = await this.boss.findJobs<TimerJob>(TIMER_QUEUE, { queued: true })
    return jobs.map((job) => job.data).sort(byFireAt)
  }

  private async earliestDue(to: number) {
    const jobs = await this.boss.findJobs<TimerJob>(TIMER_QUEUE, { queued: true })
    let earliest: (typeof jobs)[number] | undefined
    for (const job of jobs) {
      if (job.data.fireAt > to) continue
      if (earliest === undefined || byFireAt(job.data, earliest.data) < 0) earliest = job
    }
    return earliest
  }
}

/**
 * Under a simulated clock, pg-boss must never fire a timer by wall time: jobs are held an hour ahead of
 * real time (and no worker runs anyway); advanceTo is the only way they fire.
 */
const SIMULATED_HOLD_MS = 3_600_000

function timerKey(timer: TimerJob): string {
  return `${timer.streamId}/${timer.timerId}`
}

function byFireAt(a: TimerJob, b: TimerJob): number {
  return a.fireAt - b.fireAt || a.streamId.localeCompare(b.streamId) || a.timerId.localeCompare(b.timerId)
}
