import { randomUUID } from 'node:crypto'
import {
  type Calendar,
  decideRun,
  EVENT_TAGS,
  evolveRun,
  type InterlockEvent,
  type InvalidSensorPeriod,
  initialRunState,
  type PipelineState,
  pipelineSchedules,
  pipelineStreamId,
  type RunCommand,
  type RunEvent,
  type RunKey,
  type RunState,
  resolveExecutionPeriod,
  runStreamId,
} from '@interlock/domain'
import {
  type AppendResult,
  BatchAppendRefused,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
  type StreamAppend,
  type StreamAppendOutcome,
  StreamVersionConflict,
  VERSION_CONFLICT_RETRY,
  versionConflictBackoff,
} from '@interlock/eventstore'
import { Either } from 'effect'
import type pg from 'pg'
import type { Clock } from './clock.ts'
import { type CommandSource, PipelineNotFound, type RunOutcome } from './commands.ts'
import type { HeldRunState, RecentlyUsed } from './recently-used.ts'

/** A pipeline as a decision holds it: registered, with the stream version it was folded at and its calendars. */
export interface HeldPipeline {
  readonly state: PipelineState & { readonly status: 'Registered' }
  readonly streamVersion: number
  readonly calendars: ReadonlyArray<Calendar>
  /** True when its stream version was read for this decision, false when it is what memory held. */
  readonly checked: boolean
}

/** One reading and who sent it; `id` makes it idempotent (the same id twice records it once). */
export interface SensorItem {
  readonly pipelineId: string
  readonly key: string
  readonly data: Readonly<Record<string, unknown>>
  readonly id?: string
  readonly source: Omit<CommandSource, 'commandId'>
}

/** How the writer reaches the rest of the command bus. */
export interface SensorWriterPort {
  readonly store: EventStore<InterlockEvent>
  readonly clock: Clock
  readonly runStates: RecentlyUsed<HeldRunState>
  /** The pipeline as held in memory (no round trip when held), or undefined when not registered. */
  heldPipeline(pipelineId: string, fresh: boolean): Promise<HeldPipeline | undefined>
  /** Whether later timers go to pg-boss (false: the bus has no timers). */
  readonly schedulesTimers: boolean
  scheduleTimers(
    run: RunKey,
    streamId: string,
    events: ReadonlyArray<RunEvent>,
    tx: pg.ClientBase,
  ): Promise<void>
  fireTimerCommand(run: RunKey, streamId: string, timerId: string, command: RunCommand): Promise<unknown>
}

type Outcome = RunOutcome

export interface SensorRecorded {
  readonly pipelineId: string
  readonly key: string
  /** One run per schedule of the pipeline: the reading is recorded in each schedule's period. */
  readonly runs: ReadonlyArray<{ readonly run: RunKey; readonly outcome: RunOutcome }>
}

/** What became of one reading: recorded (per run), or why nothing was stored. */
export type SensorBatchResult = Either.Either<SensorRecorded, PipelineNotFound | InvalidSensorPeriod>

/** A run stream's share of a batch: its readings in batch order. */
interface StreamGroup {
  readonly run: RunKey
  readonly streamId: string
  pipeline: HeldPipeline
  readonly items: Array<{
    readonly index: number
    readonly schedule: number
    readonly commandId: string
    /** A reading without an id needs no idempotency record: consecutive ones from one sender share an append. */
    readonly anonymous: boolean
    readonly source: Omit<CommandSource, 'commandId'>
    readonly command: RunCommand
  }>
}

/** A group decided: the outcome of each item that needs no append, the appends, the state after them. */
interface DecidedGroup {
  readonly group: StreamGroup
  readonly version: number
  readonly outcomes: Array<Outcome | undefined>
  readonly appends: Array<{
    readonly commandId: string
    readonly anonymous: boolean
    readonly source: Omit<CommandSource, 'commandId'>
    readonly events: RunEvent[]
    readonly items: Array<{ readonly position: number; readonly events: ReadonlyArray<RunEvent> }>
  }>
  readonly repeats: ReadonlyArray<{ readonly position: number; readonly first: number }>
  readonly state: RunState
  readonly nextVersion: number
}

/** The most readings one write takes (a batch route's limit). */
export const MAX_SENSOR_BATCH = 1_000

/**
 * Streams written one by one at once when a many-stream append was refused. Each holds a pooled
 * connection for a read and an append, so this stays below the pool size.
 */
const FALLBACK_STREAM_CONCURRENCY = 16

/** How often a write refused as a whole (another process wrote its streams) is tried again on fresh reads. */
const REFUSED_WRITE_RETRIES = 3

/**
 * Writes of this process take turns per run stream, in the order they started: two writes of one stream
 * would decide on the same state and one would be refused. A write's streams that no earlier write holds
 * go at once; only its streams that an earlier write still holds wait, for those writes alone. A write
 * waits only for writes that started before it, so no two ever wait for each other.
 */
class StreamTurns {
  /** The last write to claim each stream: its turn ends when that write leaves the stream. */
  private readonly last = new Map<string, Promise<void>>()

  /**
   * Claims the streams' next turns, split in two: `free`, which no earlier write holds, and `held`, which
   * one does, with `ready` resolving when those earlier writes have left them. Each part is left on its own.
   */
  enter(streamIds: ReadonlyArray<string>): {
    readonly free: ReadonlySet<string>
    readonly held: ReadonlySet<string>
    readonly ready: Promise<unknown>
    readonly leave: (part: 'free' | 'held') => void
  } {
    const free = new Set<string>()
    const held = new Set<string>()
    const waits: Array<Promise<void>> = []
    for (const streamId of streamIds) {
      const before = this.last.get(streamId)
      if (before === undefined) free.add(streamId)
      else {
        held.add(streamId)
        waits.push(before)
      }
    }
    const claim = (part: ReadonlySet<string>) => {
      let leave!: () => void
      const done = new Promise<void>((resolve) => {
        leave = resolve
      })
      for (const streamId of part) this.last.set(streamId, done)
      return () => {
        leave()
        for (const streamId of part) if (this.last.get(streamId) === done) this.last.delete(streamId)
      }
    }
    const leaves = { free: claim(free), held: claim(held) }
    return { free, held, ready: Promise.all(waits), leave: (part) => leaves[part]() }
  }
}

/** Writes in flight at once from single readings; the readings that arrive meanwhile wait for the next one. */
const COALESCED_WRITES_IN_FLIGHT = 2

/**
 * Records sensor readings: each in the period its data names (R3), in every schedule of its pipeline.
 * Readings are grouped by run stream; each stream is folded once (from the run states held in memory, or
 * all the streams of a write read in one round trip), its readings decided in turn against the evolving
 * state, and every stream of the write appended in one statement, under a guard on its pipeline's stream
 * so a config or pause that changed meanwhile is decided again. Readings posted one at a time are
 * coalesced: while writes are in flight, the readings that arrive wait and go together in the next one.
 */
export class SensorWriter {
  private readonly port: SensorWriterPort
  private waiting: Array<{
    readonly item: SensorItem
    readonly resolve: (result: SensorBatchResult) => void
    readonly reject: (error: unknown) => void
  }> = []
  private inFlight = 0
  private readonly streamWrites = new StreamTurns()
  /**
   * Readings without an id get one made up here: it ties a reading's events together in its stream (the
   * backtest reads one append per command), nothing more, so a random prefix per writer and a count make
   * it unique without drawing random bytes for each of thousands of readings a second.
   */
  private readonly writerId = randomUUID()
  private readingCount = 0

  constructor(port: SensorWriterPort) {
    this.port = port
  }

  private anonymousId(): string {
    return `${this.writerId}.${++this.readingCount}`
  }

  /** One reading, written with the others that arrive while earlier writes are in flight. */
  record(item: SensorItem): Promise<SensorBatchResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      this.drain()
    })
  }

  private drain(): void {
    while (this.inFlight < COALESCED_WRITES_IN_FLIGHT && this.waiting.length > 0) {
      const taken = this.waiting.splice(0, MAX_SENSOR_BATCH)
      this.inFlight++
      this.recordMany(taken.map((waiting) => waiting.item))
        .then(
          (results) => {
            for (const [index, waiting] of taken.entries()) waiting.resolve(results[index]!)
          },
          (error: unknown) => {
            for (const waiting of taken) waiting.reject(error)
          },
        )
        .finally(() => {
          this.inFlight--
          this.drain()
        })
    }
  }

  /** Up to MAX_SENSOR_BATCH readings, one result each in their order. */
  async recordMany(items: ReadonlyArray<SensorItem>): Promise<Array<SensorBatchResult>> {
    if (items.length > MAX_SENSOR_BATCH) {
      throw new RangeError(`${items.length} readings were given at once; send at most ${MAX_SENSOR_BATCH}`)
    }
    const pipelines = new Map<string, HeldPipeline | undefined>()
    await Promise.all(
      [...new Set(items.map((item) => item.pipelineId))].map(async (pipelineId) => {
        pipelines.set(pipelineId, await this.port.heldPipeline(pipelineId, false))
      }),
    )
    const now = this.port.clock.now()
    const results: SensorBatchResult[] = new Array(items.length)
    const runs: Array<Array<{ run: RunKey; outcome: Outcome }>> = new Array(items.length)
    const groups = new Map<string, StreamGroup>()
    items.forEach((item, index) => {
      const pipeline = pipelines.get(item.pipelineId)
      if (pipeline === undefined) {
        results[index] = Either.left(new PipelineNotFound({ pipelineId: item.pipelineId }))
        return
      }
      const targets: RunKey[] = []
      for (const schedule of pipelineSchedules(pipeline.state.config)) {
        const period = resolveExecutionPeriod(item.data, now, schedule.timezone)
        if (Either.isLeft(period)) {
          results[index] = Either.left(period.left)
          return
        }
        targets.push({ pipelineId: item.pipelineId, scheduleId: schedule.name, period: period.right })
      }
      const commandId = item.id ?? this.anonymousId()
      runs[index] = new Array(targets.length)
      targets.forEach((run, schedule) => {
        const streamId = runStreamId(run)
        const group = groups.get(streamId) ?? { run, streamId, pipeline, items: [] }
        group.items.push({
          index,
          schedule,
          // One id per run stream: the same reading twice is a duplicate in each schedule.
          commandId: `sensor:${commandId}:${run.scheduleId}`,
          anonymous: item.id === undefined,
          source: item.source,
          command: { _tag: 'RecordSensorReading', key: item.key, data: item.data },
        })
        groups.set(streamId, group)
      })
    })
    const turn = this.streamWrites.enter([...groups.keys()])
    const inTurn = async (part: 'free' | 'held') => {
      try {
        const streams = turn[part]
        if (streams.size === 0) return []
        if (part === 'held') await turn.ready
        return await this.writeGroups(
          [...groups.values()].filter((group) => streams.has(group.streamId)),
          0,
        )
      } finally {
        turn.leave(part)
      }
    }
    // Streams no earlier write holds are written at once, beside the wait for the others.
    const parts = await Promise.allSettled([inTurn('free'), inTurn('held')])
    const settled = parts.flatMap((part) => {
      if (part.status === 'rejected') throw part.reason
      return part.value
    })
    for (const { group, outcomes } of settled) {
      group.items.forEach((item, position) => {
        runs[item.index]![item.schedule] = { run: group.run, outcome: outcomes[position]! }
      })
    }
    items.forEach((item, index) => {
      if (results[index] !== undefined) return
      results[index] = Either.right({ pipelineId: item.pipelineId, key: item.key, runs: runs[index]! })
    })
    return results
  }

  /**
   * Folds, decides and appends the groups together. Streams that conflict are decided again on what is
   * now in the log; a write refused as a whole is tried once more on freshly read streams, then stream
   * by stream.
   */
  private async writeGroups(
    groups: ReadonlyArray<StreamGroup>,
    attempt: number,
    guessNew = true,
  ): Promise<Array<{ group: StreamGroup; outcomes: ReadonlyArray<Outcome> }>> {
    if (groups.length === 0) return []
    const { store, runStates } = this.port
    // Streams held in memory are decided on as held (taken now: the cache may change while the others are
    // read), unless a reading carries an id: its duplicate may already be in the stream, which only the
    // stream's events can tell. A stream this process does not hold, and the store never saw committed, is
    // most often a new run (the first reading of a period): it is decided on as new without reading it, and
    // appendMany refuses it when it exists after all, which sends it back to be read and decided again. One
    // round trip instead of two.
    const heldStates = new Map<string, HeldRunState>()
    const guessedNew = new Set<string>()
    if (attempt === 0) {
      for (const group of groups) {
        if (!group.items.every((item) => item.anonymous)) continue
        const held = runStates.get(group.streamId)
        if (held !== undefined) heldStates.set(group.streamId, held)
        else if (guessNew && store.knownVersion(group.streamId) === 0) guessedNew.add(group.streamId)
      }
    }
    const read = await store.readStreams(
      groups
        .filter((group) => !heldStates.has(group.streamId) && !guessedNew.has(group.streamId))
        .map((group) => group.streamId),
    )
    const now = this.port.clock.now()
    const decided = groups.map((group) => {
      const held = heldStates.get(group.streamId)
      if (held !== undefined) return decideGroup(group, held.state, held.version, new Map(), now)
      if (guessedNew.has(group.streamId)) return decideGroup(group, initialRunState, 0, new Map(), now)
      const recorded = read.get(group.streamId) ?? []
      let state = initialRunState
      for (const { event } of recorded) state = evolveRun(state, event as RunEvent)
      return decideGroup(group, state, recorded.at(-1)?.streamVersion ?? 0, appendsByCommand(recorded), now)
    })
    const writing = decided.filter((each) => each.appends.length > 0)
    const appends: Array<StreamAppend<InterlockEvent>> = writing.map((each) => ({
      streamId: each.group.streamId,
      expected: each.version,
      guard: {
        streamId: pipelineStreamId(each.group.run.pipelineId),
        version: each.group.pipeline.streamVersion,
      },
      parts: each.appends.map((append) => ({
        events: append.events,
        metadata: metadataOf(each.group, append.commandId, append.source),
        // A reading without an id cannot be sent twice: its made-up command id needs no idempotency record.
        idempotent: !append.anonymous,
      })),
    }))
    const later =
      this.port.schedulesTimers &&
      writing.some((each) =>
        each.appends.some((append) => append.events.some((event) => isLaterTimer(event, now))),
      )
    let outcomes: ReadonlyArray<StreamAppendOutcome>
    try {
      outcomes =
        appends.length === 0
          ? []
          : later
            ? await store.transaction(async (tx) => {
                const written = await store.appendMany(appends, { tx })
                for (const [n, outcome] of written.entries()) {
                  if (outcome._tag !== 'Appended') continue
                  const { group, appends: parts } = writing[n]!
                  await this.port.scheduleTimers(
                    group.run,
                    group.streamId,
                    parts.flatMap((part) => part.events),
                    tx,
                  )
                }
                return written
              })
            : await store.appendMany(appends)
    } catch (error) {
      if (!(error instanceof BatchAppendRefused)) throw error
      for (const group of groups) runStates.delete(group.streamId)
      // A writer raced for the same version of one of these streams, or a reading's id was appended before:
      // read them all and try again, then one by one.
      if (attempt < REFUSED_WRITE_RETRIES) {
        await versionConflictBackoff(attempt)
        return this.writeGroups(groups, attempt + 1)
      }
      return this.writeAlone(groups)
    }
    // By position, not by searching `writing` for each stream: a batch holds up to 1,000 streams.
    const outcomeOf = new Map(writing.map((each, n) => [each, outcomes[n]!]))
    const done: Array<{ group: StreamGroup; outcomes: ReadonlyArray<Outcome> }> = []
    const again: StreamGroup[] = []
    // Guessed new but not written: decided again on the stream as read, at once (nothing was stale).
    const unread: StreamGroup[] = []
    for (const each of decided) {
      const guessed = guessedNew.has(each.group.streamId)
      if (each.appends.length === 0) {
        if (guessed) {
          unread.push(each.group)
          continue
        }
        runStates.set(each.group.streamId, { state: each.state, version: each.version })
        done.push({ group: each.group, outcomes: settle(each) })
        continue
      }
      const outcome = outcomeOf.get(each)!
      if (outcome._tag === 'Conflict') {
        ;(guessed ? unread : again).push(each.group)
        continue
      }
      each.appends.forEach((append, n) => {
        const result = outcome.parts[n]!
        for (const { position, events } of append.items) {
          each.outcomes[position] = {
            _tag: 'Accepted',
            events,
            append: result,
            streamVersion: result.nextExpectedVersion,
          }
        }
      })
      runStates.set(each.group.streamId, { state: each.state, version: each.nextVersion })
      done.push({ group: each.group, outcomes: settle(each) })
    }
    // Timers due already are delivered at once, as runCommand does.
    const notWritten = new Set([...again, ...unread])
    for (const each of writing) {
      if (notWritten.has(each.group)) continue
      for (const append of each.appends) {
        for (const event of append.events) {
          if (event._tag !== 'TimerRequested' || Date.parse(event.fireAt) > this.port.clock.now()) continue
          await this.port.fireTimerCommand(each.group.run, each.group.streamId, event.timerId, event.command)
        }
      }
    }
    if (unread.length > 0) done.push(...(await this.writeGroups(unread, attempt, false)))
    if (again.length > 0) {
      // Not at the held version (another process wrote it), or the pipeline moved (a new config, a pause):
      // reload both, decide again.
      for (const group of again) {
        runStates.delete(group.streamId)
        const fresh = await this.port.heldPipeline(group.run.pipelineId, true)
        if (fresh === undefined)
          throw new StreamVersionConflict({ streamId: group.streamId, expected: 0, actual: undefined })
        group.pipeline = fresh
      }
      if (attempt >= VERSION_CONFLICT_RETRY.retries) return [...done, ...(await this.writeAlone(again))]
      await versionConflictBackoff(attempt)
      done.push(...(await this.writeGroups(again, attempt + 1)))
    }
    return done
  }

  /** The slow path: each stream read, decided and appended on its own, in a transaction when it needs one. */
  private async writeAlone(
    groups: ReadonlyArray<StreamGroup>,
  ): Promise<Array<{ group: StreamGroup; outcomes: ReadonlyArray<Outcome> }>> {
    const done: Array<{ group: StreamGroup; outcomes: ReadonlyArray<Outcome> }> = []
    const pending = [...groups]
    const lane = async () => {
      for (let group = pending.pop(); group !== undefined; group = pending.pop()) {
        done.push({ group, outcomes: await this.writeGroupAlone(group) })
      }
    }
    await Promise.all(Array.from({ length: Math.min(FALLBACK_STREAM_CONCURRENCY, pending.length) }, lane))
    return done
  }

  private async writeGroupAlone(group: StreamGroup): Promise<ReadonlyArray<Outcome>> {
    const { store, runStates } = this.port
    const { run, streamId } = group
    // Ids found appended elsewhere (another stream or a racing writer) after a conflict: duplicates.
    const appendedElsewhere = new Map<string, AppendResult>()
    for (let attempt = 0; ; attempt++) {
      const fresh = await this.port.heldPipeline(run.pipelineId, true)
      if (fresh !== undefined) group.pipeline = fresh
      const recorded = await store.readStream(streamId)
      let state = initialRunState
      for (const { event } of recorded) state = evolveRun(state, event as RunEvent)
      const earlier = appendsByCommand(recorded)
      for (const [id, append] of appendedElsewhere) earlier.set(id, append)
      const now = this.port.clock.now()
      const each = decideGroup(group, state, recorded.at(-1)?.streamVersion ?? 0, earlier, now)
      if (each.appends.length === 0) return settle(each)
      const later =
        this.port.schedulesTimers &&
        each.appends.some((append) => append.events.some((event) => isLaterTimer(event, now)))
      try {
        const written: AppendResult[] = []
        await store.transaction(async (tx) => {
          let expected = each.version
          for (const append of each.appends) {
            const result = await store.append(
              streamId,
              expected === 0 ? 'no_stream' : expected,
              append.events,
              {
                ...metadataOf(group, append.commandId, append.source),
                tx,
              },
            )
            expected = result.nextExpectedVersion
            written.push(result)
          }
          if (later)
            await this.port.scheduleTimers(
              run,
              streamId,
              each.appends.flatMap((append) => append.events),
              tx,
            )
        })
        each.appends.forEach((append, n) => {
          const result = written[n]!
          for (const { position, events } of append.items) {
            each.outcomes[position] = {
              _tag: 'Accepted',
              events: result.duplicate ? [] : events,
              append: result,
              streamVersion: result.nextExpectedVersion,
            }
          }
        })
      } catch (error) {
        if (!(error instanceof StreamVersionConflict)) throw error
        // Inside the transaction an id appended before surfaces as a conflict: find such ids, then decide again.
        for (const append of each.appends) {
          if (append.anonymous) continue
          const found = await store.findCommand(append.commandId)
          if (found !== undefined) appendedElsewhere.set(append.commandId, found)
        }
        if (attempt >= VERSION_CONFLICT_RETRY.retries) throw error
        await versionConflictBackoff(attempt)
        continue
      }
      runStates.delete(streamId)
      for (const append of each.appends) {
        for (const event of append.events) {
          if (event._tag !== 'TimerRequested' || Date.parse(event.fireAt) > this.port.clock.now()) continue
          await this.port.fireTimerCommand(run, streamId, event.timerId, event.command)
        }
      }
      return settle(each)
    }
  }
}

/**
 * Decides a group's readings in turn against the evolving state: a reading whose id is in `earlier` is
 * a duplicate, the same id twice in the group is one reading, consecutive anonymous readings of one
 * sender share an append.
 */
function decideGroup(
  group: StreamGroup,
  initial: RunState,
  version: number,
  earlier: ReadonlyMap<string, AppendResult>,
  now: number,
): DecidedGroup {
  const { pipeline, run } = group
  const context = {
    now,
    run,
    config: pipeline.state.config,
    configVersion: pipeline.state.version,
    paused: pipeline.state.paused,
    calendars: pipeline.calendars,
  }
  let state = initial
  let nextVersion = version
  const outcomes: Array<Outcome | undefined> = new Array(group.items.length)
  const appends: DecidedGroup['appends'] = []
  // Made only for readings with an id (most have none).
  let firstWithId: Map<string, number> | undefined
  const repeats: Array<{ position: number; first: number }> = []
  group.items.forEach((item, position) => {
    // The same id twice in one write is one reading: the repeat is answered once the first is written.
    if (!item.anonymous) {
      firstWithId ??= new Map()
      const first = firstWithId.get(item.commandId)
      if (first !== undefined) {
        repeats.push({ position, first })
        return
      }
      firstWithId.set(item.commandId, position)
    }
    const duplicate = item.anonymous ? undefined : earlier.get(item.commandId)
    if (duplicate !== undefined) {
      outcomes[position] = { _tag: 'Accepted', events: [], append: duplicate, streamVersion: nextVersion }
      return
    }
    const decision = decideRun(item.command, state, context)
    if (Either.isLeft(decision)) {
      outcomes[position] = { _tag: 'Rejected', rejection: decision.left, streamVersion: nextVersion }
      return
    }
    const events = decision.right
    if (events.length === 0) {
      outcomes[position] = { _tag: 'Accepted', events, append: undefined, streamVersion: nextVersion }
      return
    }
    for (const event of events) state = evolveRun(state, event)
    nextVersion += events.length
    const last = appends.at(-1)
    if (item.anonymous && last?.anonymous === true && sameSender(last.source, item.source)) {
      last.events.push(...events)
      last.items.push({ position, events })
    } else {
      appends.push({
        commandId: item.commandId,
        anonymous: item.anonymous,
        source: item.source,
        events: [...events],
        items: [{ position, events }],
      })
    }
  })
  return { group, version, outcomes, appends, repeats, state, nextVersion }
}

function sameSender(a: Omit<CommandSource, 'commandId'>, b: Omit<CommandSource, 'commandId'>): boolean {
  return a.actor === b.actor && a.correlationId === b.correlationId && a.causationId === b.causationId
}

/** Every item's outcome, repeats answered as duplicates of their first. */
function settle(each: DecidedGroup): ReadonlyArray<Outcome> {
  for (const { position, first } of each.repeats) {
    const outcome = each.outcomes[first]!
    each.outcomes[position] =
      outcome._tag === 'Accepted' && outcome.append !== undefined
        ? { ...outcome, events: [], append: { ...outcome.append, duplicate: true } }
        : outcome
  }
  return each.outcomes as Outcome[]
}

function metadataOf(
  group: StreamGroup,
  commandId: string,
  source: Omit<CommandSource, 'commandId'>,
): EventMetadata {
  return {
    actor: source.actor,
    commandId,
    ...(source.correlationId === undefined ? {} : { correlationId: source.correlationId }),
    ...(source.causationId === undefined ? {} : { causationId: source.causationId }),
    configVersion: group.pipeline.state.version,
    tags: {
      [EVENT_TAGS.pipelineId]: group.run.pipelineId,
      [EVENT_TAGS.scheduleId]: group.run.scheduleId,
      [EVENT_TAGS.period]: group.run.period,
    },
  }
}

/**
 * Timers that need pg-boss: those due later. A timer due already is delivered at once by the bus, and, if
 * the process dies first, by the log reactor, which fires every due timer it reads: the log is its backstop.
 */
export function isLaterTimer(event: RunEvent, now: number): boolean {
  return event._tag === 'TimerRequested' && Date.parse(event.fireAt) > now
}

/** The appends already in a stream, by the command id that made them (the duplicates a write must skip). */
function appendsByCommand(recorded: ReadonlyArray<RecordedEvent<InterlockEvent>>): Map<string, AppendResult> {
  const appends = new Map<string, AppendResult>()
  for (const event of recorded) {
    const commandId = event.metadata.commandId
    if (commandId === undefined) continue
    const known = appends.get(commandId)
    appends.set(commandId, {
      streamId: event.streamId,
      firstVersion: known?.firstVersion ?? event.streamVersion,
      nextExpectedVersion: event.streamVersion,
      positions: [...(known?.positions ?? []), event.globalPosition],
      transactionId: event.transactionId,
      duplicate: true,
    })
  }
  return appends
}
