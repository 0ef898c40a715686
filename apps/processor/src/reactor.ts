import {
  EVENT_TAGS,
  type InterlockEvent,
  instantOf,
  type JobConfig,
  JobStartClaimed,
  jobClaimStreamId,
  type RunKey,
  startsJob,
} from '@interlock/domain'
import { type RecordedEvent, StreamVersionConflict } from '@interlock/eventstore'
import { recordDeadLetter } from '@interlock/projections'
import type { TriggerRunner } from '@interlock/triggers'
import { Effect, Either, Schema } from 'effect'
import { cascadeReading, downstreamCandidates, readsSensorKey } from './cascade.ts'
import type { CommandBus, CommandSource } from './command-bus.ts'

/** Where the reactor reports what it did and what went wrong (never secrets: trigger errors are pre-redacted). */
export type ReactorLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void

export interface ReactorDeps {
  readonly bus: CommandBus
  readonly triggers: TriggerRunner
  /** Names this processor in its job claims. */
  readonly processorId: string
  readonly log?: ReactorLog
  /**
   * Called at the three points of a job start where a crash matters: after the claim is appended, after
   * the job service answered, after the outcome is recorded. Crash tests kill the process here.
   */
  readonly faultPoint?: (point: JobStartPoint) => void
}

export type JobStartPoint = 'claimed' | 'called' | 'recorded'

type Recorded = RecordedEvent<InterlockEvent>

const decodeClaim = Schema.decodeUnknownSync(JobStartClaimed)

/** Attempts at one reaction before it is dead-lettered (each retry waits the subscription's backoff). */
const REACTION_ATTEMPTS = 5
export const REACTION_DEAD_LETTER_KIND = 'reaction'

/** Runs whose intents are performed at once; bounded so a burst cannot exhaust the connection pool. */
const STREAMS_IN_PARALLEL = 8

/**
 * Job types whose start is keyed by the attempt (Step Functions execution name, EMR Serverless client
 * token, Databricks idempotency token): an unconfirmed claim is resolved by asking again.
 */
const IDEMPOTENT_START_TYPES: ReadonlySet<string> = new Set(['step-function', 'emr-serverless', 'databricks'])

/**
 * Performs the decisions that need the outside world, reading the log in order (at-least-once): starts
 * jobs (claiming each trigger try in the log first), checks their status, cancels superseded or timed-out
 * jobs, and fires timers that are already due without waiting for pg-boss. Each outcome goes back in as a
 * command through the bus, under a command id derived from the event, so a redelivered event changes
 * nothing.
 */
export class Reactor {
  private readonly bus: CommandBus
  private readonly triggers: TriggerRunner
  private readonly processorId: string
  private readonly log: ReactorLog
  private readonly faultPoint: (point: JobStartPoint) => void
  /** Failed attempts per event this process has seen, for the dead-letter threshold. */
  private readonly failures = new Map<string, number>()

  constructor(deps: ReactorDeps) {
    this.bus = deps.bus
    this.triggers = deps.triggers
    this.processorId = deps.processorId
    this.log = deps.log ?? (() => {})
    this.faultPoint = deps.faultPoint ?? (() => {})
  }

  /**
   * Handles a batch: each stream's events in log order, different streams side by side (bounded), since a
   * job service call or a timer's decision for one run must not queue every other run behind it.
   */
  async handle(events: ReadonlyArray<Recorded>): Promise<void> {
    const byStream = new Map<string, Recorded[]>()
    for (const recorded of events) {
      const stream = byStream.get(recorded.streamId)
      if (stream === undefined) byStream.set(recorded.streamId, [recorded])
      else stream.push(recorded)
    }
    const queue = [...byStream.values()]
    const lane = async () => {
      for (let stream = queue.shift(); stream !== undefined; stream = queue.shift()) {
        for (const recorded of stream) await this.reactOrDeadLetter(recorded)
      }
    }
    await Promise.all(Array.from({ length: Math.min(STREAMS_IN_PARALLEL, queue.length) }, lane))
  }

  /**
   * A reaction that keeps failing (a poison event: a bug, a config that no longer decodes) is retried with
   * the batch a bounded number of times, then recorded as a dead letter (kind `reaction`) so the log moves
   * on; `redrive` performs it again later. If even the dead letter cannot be written (the database is
   * down), the error propagates and the batch waits, so nothing is skipped silently.
   */
  private async reactOrDeadLetter(recorded: Recorded): Promise<void> {
    const key = `reaction:${recorded.globalPosition}`
    try {
      await this.react(recorded)
      this.failures.delete(key)
    } catch (error) {
      const attempts = (this.failures.get(key) ?? 0) + 1
      this.failures.set(key, attempts)
      if (attempts < REACTION_ATTEMPTS) throw error
      await recordDeadLetter(this.bus.store.pool, {
        kind: REACTION_DEAD_LETTER_KIND,
        key,
        payload: {
          globalPosition: String(recorded.globalPosition),
          streamId: recorded.streamId,
          type: recorded.type,
        },
        error: error instanceof Error ? error.message : String(error),
        attempts,
        failedAt: instantOf(this.bus.clock.now()),
      })
      this.failures.delete(key)
      this.log('error', 'reaction dead-lettered after repeated failures', { key, error: String(error) })
    }
  }

  /** Performs a dead-lettered reaction again: reads its event back from the log and reacts to it. */
  async redrive(payload: unknown): Promise<void> {
    const position = (payload as { globalPosition?: unknown } | null)?.globalPosition
    if (typeof position !== 'string' || !/^\d+$/.test(position)) {
      throw new Error(
        `a reaction dead letter names its event by globalPosition; this one has ${JSON.stringify(payload)}`,
      )
    }
    const { rows } = await this.bus.store.pool.query<{ transaction_id: string }>(
      'select transaction_id::text from events where global_position = $1',
      [position],
    )
    const transactionId = rows[0]?.transaction_id
    if (transactionId === undefined) throw new Error(`no event at global position ${position}`)
    const page = await this.bus.store.readAll(
      { transactionId: BigInt(transactionId), position: BigInt(position) - 1n },
      { limit: 1 },
    )
    const recorded = page.events.find((event) => event.globalPosition === BigInt(position))
    if (recorded === undefined)
      throw new Error(`the event at global position ${position} is not readable yet`)
    await this.react(recorded)
  }

  private async react(recorded: Recorded): Promise<void> {
    switch (recorded.type) {
      case 'TimerRequested':
        return this.fireIfDue(recorded)
      case 'JobStartRequested':
        return this.startJob(recorded)
      case 'JobStatusCheckRequested':
        return this.checkJob(recorded)
      case 'JobCancelRequested':
      case 'JobPollExhausted':
      case 'JobHeartbeatMissed':
        return this.cancelJob(recorded)
      case 'JobSucceeded':
      case 'RunCompletedWithoutJob':
        return this.cascade(recorded)
      default:
        return
    }
  }

  /** A timer due already (an evaluation "now") is fired at once; its pg-boss job becomes a harmless repeat. */
  private async fireIfDue(recorded: Recorded): Promise<void> {
    const event = recorded.event
    if (event._tag !== 'TimerRequested') return
    const fireAt = Date.parse(event.fireAt)
    if (fireAt > this.bus.clock.now()) return
    if (this.bus.hasDeliveredTimer(recorded.streamId, event.timerId)) return
    const run = runKeyOf(recorded)
    await this.bus.fireTimerCommand(run, recorded.streamId, event.timerId, event.command)
  }

  private async startJob(recorded: Recorded): Promise<void> {
    const event = recorded.event
    if (event._tag !== 'JobStartRequested') return
    const run = runKeyOf(recorded)
    const job = await this.jobConfig(run, recorded)
    if (job === undefined) return
    const source = (what: string) => ({
      actor: `processor:${this.processorId}`,
      commandId: `${what}:${event.attemptId}:${event.triggerTry}`,
      causationId: String(recorded.globalPosition),
    })

    const claimed = await this.claim(event.attemptId, event.triggerTry, event.jobType)
    if (!claimed) {
      if (await this.hasTriggerOutcome(recorded.streamId, event.attemptId, event.triggerTry)) return
      if (IDEMPOTENT_START_TYPES.has(event.jobType)) {
        // These services key the start by the attempt: asking again finds the job already started.
        await this.callAndRecord(job, run, event, source)
        return
      }
      // Claimed but never recorded: a processor stopped between the claim and the record. Starting again
      // could start the job twice, so the outcome is recorded as unknown instead.
      this.log('error', 'trigger outcome unknown', { stream: recorded.streamId, attemptId: event.attemptId })
      await this.bus.runCommand(
        run,
        {
          _tag: 'RecordTriggerFailure',
          attemptId: event.attemptId,
          triggerTry: event.triggerTry,
          error: `TRIGGER_OUTCOME_UNKNOWN: a processor claimed this start and stopped before recording its outcome; check ${event.jobType} for a run of attempt ${event.attemptId} before rerunning`,
          category: 'PERMANENT',
        },
        source('unknown'),
      )
      return
    }

    this.faultPoint('claimed')
    await this.callAndRecord(job, run, event, source)
  }

  private async callAndRecord(
    job: JobConfig,
    run: RunKey,
    event: Extract<InterlockEvent, { _tag: 'JobStartRequested' }>,
    source: (what: string) => CommandSource,
  ): Promise<void> {
    const started = await Effect.runPromise(
      Effect.either(
        this.triggers.start(job, run.period, { pipelineId: run.pipelineId, attemptId: event.attemptId }),
      ),
    )
    this.faultPoint('called')
    if (Either.isRight(started)) {
      await this.bus.runCommand(
        run,
        {
          _tag: 'RecordJobStarted',
          attemptId: event.attemptId,
          triggerTry: event.triggerTry,
          jobType: event.jobType,
          runId: started.right.externalRunId,
          metadata: started.right.metadata,
          synchronous: started.right.synchronous,
        },
        source('started'),
      )
    } else {
      this.log('warn', 'trigger failed', { attemptId: event.attemptId, error: started.left.message })
      await this.bus.runCommand(
        run,
        {
          _tag: 'RecordTriggerFailure',
          attemptId: event.attemptId,
          triggerTry: event.triggerTry,
          error: started.left.message,
          category: started.left.category,
        },
        source('trigger-failed'),
      )
    }
    this.faultPoint('recorded')
  }

  private async checkJob(recorded: Recorded): Promise<void> {
    const event = recorded.event
    if (event._tag !== 'JobStatusCheckRequested') return
    const run = runKeyOf(recorded)
    const job = await this.jobConfig(run, recorded)
    if (job === undefined) return
    const handle = { externalRunId: event.runId, metadata: stringValues(event.metadata) }
    const status = await Effect.runPromise(
      Effect.either(
        this.triggers.status(job, handle, run.period, {
          pipelineId: run.pipelineId,
          attemptId: event.attemptId,
        }),
      ),
    )
    const source = {
      actor: `processor:${this.processorId}`,
      commandId: `status:${event.attemptId}:${event.pollNumber}`,
      causationId: String(recorded.globalPosition),
    }
    if (Either.isLeft(status)) {
      // The service could not answer: the attempt keeps polling; the next tick asks again.
      this.log('warn', 'job status unavailable', { attemptId: event.attemptId, error: status.left.message })
      await this.bus.runCommand(
        run,
        {
          _tag: 'RecordJobStatus',
          attemptId: event.attemptId,
          pollNumber: event.pollNumber,
          status: 'running',
          message: status.left.message,
        },
        source,
      )
      return
    }
    const found = status.right
    await this.bus.runCommand(
      run,
      found._tag === 'JobFailed'
        ? {
            _tag: 'RecordJobStatus',
            attemptId: event.attemptId,
            pollNumber: event.pollNumber,
            status: 'failed',
            message: found.message,
            category: found.category,
          }
        : {
            _tag: 'RecordJobStatus',
            attemptId: event.attemptId,
            pollNumber: event.pollNumber,
            status: found._tag === 'JobSucceeded' ? 'succeeded' : 'running',
            message: found.message,
          },
      source,
    )
  }

  /**
   * Cancels a superseded attempt's job, one still running when its poll window closed, or one presumed dead
   * after a missed heartbeat (so its retry does not run beside it). Best effort.
   */
  private async cancelJob(recorded: Recorded): Promise<void> {
    const event = recorded.event
    if (
      event._tag !== 'JobCancelRequested' &&
      event._tag !== 'JobPollExhausted' &&
      event._tag !== 'JobHeartbeatMissed'
    )
      return
    const run = runKeyOf(recorded)
    const job = await this.jobConfig(run, recorded)
    if (job === undefined) return
    const metadata =
      event._tag === 'JobCancelRequested' ? event.metadata : await this.jobMetadata(recorded, event.attemptId)
    const handle = { externalRunId: event.runId, metadata: stringValues(metadata) }
    const cancelled = await Effect.runPromise(
      Effect.either(
        this.triggers.cancel(job, handle, run.period, {
          pipelineId: run.pipelineId,
          attemptId: event.attemptId,
        }),
      ),
    )
    if (Either.isLeft(cancelled)) {
      this.log('warn', 'job cancel failed', { attemptId: event.attemptId, error: cancelled.left.message })
    }
  }

  /**
   * Seed 001's cascade: a succeeded run writes its pipeline's key as a reading on each downstream pipeline.
   * A readiness-only pipeline succeeds when it is ready, and cascades then.
   */
  private async cascade(recorded: Recorded): Promise<void> {
    const event = recorded.event
    if (event._tag !== 'JobSucceeded' && event._tag !== 'RunCompletedWithoutJob') return
    const upstream = runKeyOf(recorded)
    for (const pipelineId of await downstreamCandidates(this.bus.store.pool, upstream.pipelineId)) {
      const downstream = await this.bus.pipeline(pipelineId)
      if (downstream.status !== 'Registered' || !readsSensorKey(downstream.config, upstream.pipelineId))
        continue
      const recordedReading = await this.bus.recordSensor(
        {
          pipelineId,
          key: upstream.pipelineId,
          data: cascadeReading(upstream, event.attemptId, event.at, downstream.config),
        },
        {
          actor: `processor:${this.processorId}`,
          commandId: `cascade:${event.attemptId}:${pipelineId}`,
          causationId: String(recorded.globalPosition),
        },
      )
      if (Either.isLeft(recordedReading)) {
        this.log('warn', 'cascade reading refused', {
          downstream: pipelineId,
          error: recordedReading.left.message,
        })
      }
    }
  }

  /** True when this processor won the claim of the trigger try (it alone may call the job service). */
  private async claim(attemptId: string, triggerTry: number, jobType: string): Promise<boolean> {
    try {
      const result = await this.bus.store.append(
        jobClaimStreamId(attemptId, triggerTry),
        'no_stream',
        [
          decodeClaim({
            _tag: 'JobStartClaimed',
            attemptId,
            triggerTry,
            jobType,
            processorId: this.processorId,
            at: new Date(this.bus.clock.now()).toISOString(),
          }),
        ],
        { actor: `processor:${this.processorId}`, commandId: `claim:${attemptId}:${triggerTry}` },
      )
      return !result.duplicate
    } catch (error) {
      if (error instanceof StreamVersionConflict) return false
      throw error
    }
  }

  private async hasTriggerOutcome(streamId: string, attemptId: string, triggerTry: number): Promise<boolean> {
    const events = await this.bus.store.readStream(streamId)
    return events.some(({ event }) => {
      if (event._tag === 'JobStarted' || event._tag === 'TriggerFailed') {
        return event.attemptId === attemptId && event.triggerTry === triggerTry
      }
      return event._tag === 'StaleJobResultRecorded' && event.attemptId === attemptId
    })
  }

  private async jobMetadata(
    recorded: Recorded,
    attemptId: string,
  ): Promise<Readonly<Record<string, unknown>>> {
    const events = await this.bus.store.readStream(recorded.streamId)
    for (const { event } of events) {
      if (event._tag === 'JobStarted' && event.attemptId === attemptId) return event.metadata
    }
    return {}
  }

  /**
   * The job block of the config the decision was made under (its version is in the event's metadata). A
   * readiness-only config has none: nothing is started, polled or cancelled for it (the decider asks for
   * none; this guards a config changed under a job already running).
   */
  private async jobConfig(run: RunKey, recorded: Recorded): Promise<JobConfig | undefined> {
    const config = await this.bus.pipelineConfigAt(run.pipelineId, recorded.metadata.configVersion)
    if (config === undefined) {
      this.log('warn', 'no config for a job intent; skipped', { stream: recorded.streamId })
      return undefined
    }
    if (!startsJob(config.job)) {
      this.log('warn', 'readiness-only config for a job intent; skipped', {
        stream: recorded.streamId,
        configVersion: recorded.metadata.configVersion,
      })
      return undefined
    }
    return config.job
  }
}

function runKeyOf(recorded: Recorded): RunKey {
  const tags = recorded.metadata.tags ?? {}
  const pipelineId = tags[EVENT_TAGS.pipelineId]
  const scheduleId = tags[EVENT_TAGS.scheduleId]
  const period = tags[EVENT_TAGS.period]
  if (pipelineId === undefined || scheduleId === undefined || period === undefined) {
    throw new Error(
      `event ${recorded.type} at ${recorded.streamId}@${recorded.streamVersion} has no run key tags`,
    )
  }
  return { pipelineId, scheduleId, period }
}

/** A job handle's metadata is strings only (the triggers package's JobHandle). */
function stringValues(metadata: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}
