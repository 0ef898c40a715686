import { randomUUID } from 'node:crypto'
import {
  type Calendar,
  type CalendarCommand,
  type CalendarEvent,
  type CalendarRejection,
  type CalendarState,
  type ConfigIssue,
  calendarStreamId,
  decideCalendar,
  decidePipeline,
  decideRun,
  EVENT_TAGS,
  evolveCalendar,
  evolvePipeline,
  evolveRun,
  type InterlockEvent,
  type InvalidSensorPeriod,
  initialCalendarState,
  initialPipelineState,
  initialRunState,
  type PipelineCommand,
  type PipelineConfig,
  type PipelineEvent,
  type PipelineRejection,
  type PipelineState,
  parseCalendar,
  parsePipelineConfig,
  pipelineSchedules,
  pipelineStreamId,
  RunCommand,
  type RunEvent,
  type RunKey,
  type RunRejection,
  type RunState,
  resolveExecutionPeriod,
  runStreamId,
} from '@interlock/domain'
import {
  type AppendResult,
  type CommandOutcome,
  type EventStore,
  handleCommand,
  type RecordedEvent,
  StreamVersionConflict,
  VERSION_CONFLICT_RETRY,
} from '@interlock/eventstore'
import { Data, Either, Schema } from 'effect'
import type pg from 'pg'
import type { Clock } from './clock.ts'
import type { TimerJob, Timers } from './timers.ts'

/** A sensor, rerun or callback named a pipeline that has no registered config: nothing is stored. */
export class PipelineNotFound extends Data.TaggedError('PipelineNotFound')<{ readonly pipelineId: string }> {
  override get message(): string {
    return `Pipeline ${this.pipelineId} is not registered; register its config first (PUT /api/pipelines/${this.pipelineId}).`
  }
}

/** A config that does not validate: every problem at once, nothing stored (C3). */
export class ConfigInvalid extends Data.TaggedError('ConfigInvalid')<{
  readonly issues: ReadonlyArray<ConfigIssue>
}> {
  override get message(): string {
    return `The pipeline config has ${this.issues.length} problem(s): ${this.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`
  }
}

/** Who sent a command and under which id, recorded in every event it produces. */
export interface CommandSource {
  readonly actor: string
  /** Makes the command idempotent: the same id twice appends once. Generated when absent. */
  readonly commandId?: string
  readonly correlationId?: string
  readonly causationId?: string
}

export type RunOutcome = CommandOutcome<RunEvent, RunRejection, RunState>

export interface SensorRecorded {
  readonly pipelineId: string
  readonly key: string
  /** One run per schedule of the pipeline: the reading is recorded in each schedule's period. */
  readonly runs: ReadonlyArray<{ readonly run: RunKey; readonly outcome: RunOutcome }>
}

/** One reading of a batch; `id` is its command id: the same id twice records the reading once. */
export interface SensorReadingInput {
  readonly pipelineId: string
  readonly key: string
  readonly data: Readonly<Record<string, unknown>>
  readonly id?: string
}

/** What became of one reading of a batch: recorded (per run), or why nothing was stored. */
export type SensorBatchResult = Either.Either<SensorRecorded, PipelineNotFound | InvalidSensorPeriod>

/** The most readings `recordSensors` takes at once. */
export const MAX_SENSOR_BATCH = 1_000

/**
 * Run streams of one batch written at once. Each holds a pooled connection for a read and an append, so
 * this stays below the pool size, leaving room for the requests that arrive meanwhile.
 */
const SENSOR_BATCH_STREAM_CONCURRENCY = 16

/** A run stream's share of a batch: its readings in batch order. */
interface StreamGroup {
  readonly run: RunKey
  readonly streamId: string
  readonly pipeline: LoadedPipeline
  readonly items: Array<{
    readonly index: number
    readonly schedule: number
    readonly commandId: string
    /** A reading without an id needs no idempotency record: consecutive ones share one append. */
    readonly anonymous: boolean
    readonly command: RunCommand
  }>
}

interface LoadedPipeline {
  readonly state: PipelineState & { readonly status: 'Registered' }
  readonly calendars: ReadonlyArray<Calendar>
}

// Timers carry any run command (the decider's timers, cron fires, watchdog checks); TimerCommand ⊂ RunCommand.
const encodeTimerCommand = Schema.encodeSync(RunCommand)
const decodeTimerCommand = Schema.decodeUnknownSync(RunCommand)

/**
 * The one way commands enter Interlock, for the API, timers, reactors and the watchdog alike: it loads
 * what a decision needs (the pipeline's config, version and pause flag), runs the decider through the
 * event store's command handler, tags every event with what it is about, and schedules the timers the
 * decided events ask for inside the same transaction.
 */
export class CommandBus {
  readonly store: EventStore<InterlockEvent>
  readonly clock: Clock
  private readonly timers: Timers | undefined
  private readonly pipelines = new Map<
    string,
    { readonly streamVersion: number; readonly state: PipelineState }
  >()

  constructor(deps: { store: EventStore<InterlockEvent>; clock: Clock; timers?: Timers }) {
    this.store = deps.store
    this.clock = deps.clock
    this.timers = deps.timers
  }

  /**
   * The folded pipeline stream: config, version, pause flag, or Unregistered/Removed. Folded states are
   * kept by stream version, so a decision pays one index lookup instead of decoding the config again.
   */
  async pipeline(pipelineId: string): Promise<PipelineState> {
    const streamId = pipelineStreamId(pipelineId)
    const version = await this.store.streamVersion(streamId)
    const cached = this.pipelines.get(pipelineId)
    if (cached !== undefined && cached.streamVersion === version) return cached.state
    const events = await this.store.readStream(streamId)
    const state = events.reduce(
      (folded, { event }) => evolvePipeline(folded, event as PipelineEvent),
      initialPipelineState,
    )
    this.pipelines.set(pipelineId, { streamVersion: events.at(-1)?.streamVersion ?? 0, state })
    return state
  }

  /**
   * Registers a pipeline config given as YAML/JSON text or a parsed value. Invalid → ConfigInvalid with
   * every issue; the same content twice → no new version.
   */
  async registerPipeline(
    input: unknown,
    source: CommandSource,
    options: { readonly expectedId?: string } = {},
  ): Promise<
    Either.Either<
      { pipelineId: string; version: number; changed: boolean },
      ConfigInvalid | PipelineRejection
    >
  > {
    const shape = parsePipelineConfig(input)
    if (Either.isLeft(shape)) return Either.left(new ConfigInvalid({ issues: shape.left }))
    // C6: every calendar the config names must be registered; checked against what exists now.
    const named = await this.calendarsNamedBy(shape.right)
    const parsed = parsePipelineConfig(input, { calendars: named.map((calendar) => calendar.name) })
    if (Either.isLeft(parsed)) return Either.left(new ConfigInvalid({ issues: parsed.left }))
    const pipelineId = options.expectedId ?? parsed.right.pipeline.id
    const outcome = await this.pipelineCommand(
      pipelineId,
      { _tag: 'RegisterPipelineConfig', config: parsed.right },
      source,
    )
    if (outcome._tag === 'Rejected') return Either.left(outcome.rejection)
    const state = await this.pipeline(pipelineId)
    return Either.right({ pipelineId, version: state.version, changed: outcome.events.length > 0 })
  }

  /** The folded calendar stream. */
  async calendar(name: string): Promise<CalendarState> {
    const events = await this.store.readStream(calendarStreamId(name))
    return events.reduce(
      (state, { event }) => evolveCalendar(state, event as CalendarEvent),
      initialCalendarState,
    )
  }

  /** Registers a named calendar from YAML/JSON text or a parsed value; the same content twice changes nothing. */
  async registerCalendar(
    input: unknown,
    source: CommandSource,
    options: { readonly expectedName?: string } = {},
  ): Promise<
    Either.Either<{ name: string; version: number; changed: boolean }, ConfigInvalid | CalendarRejection>
  > {
    const parsed = parseCalendar(input)
    if (Either.isLeft(parsed)) return Either.left(new ConfigInvalid({ issues: parsed.left }))
    const name = options.expectedName ?? parsed.right.name
    const outcome = await this.calendarCommand(
      name,
      { _tag: 'RegisterCalendar', calendar: parsed.right },
      source,
    )
    if (outcome._tag === 'Rejected') return Either.left(outcome.rejection)
    const state = await this.calendar(name)
    return Either.right({ name, version: state.version, changed: outcome.events.length > 0 })
  }

  calendarCommand(
    name: string,
    command: CalendarCommand,
    source: CommandSource,
  ): Promise<CommandOutcome<CalendarEvent, CalendarRejection>> {
    return handleCommand(
      this.store,
      { initialState: () => initialCalendarState, evolve: evolveCalendar, decide: decideCalendar },
      calendarStreamId(name),
      command,
      { ...metadataFor(source), tags: { calendar: name }, context: () => ({ name, now: this.clock.now() }) },
    )
  }

  /** The registered calendars a config names (`schedule.calendar`, `exclude.holidays`, every schedule). */
  private async calendarsNamedBy(config: PipelineConfig): Promise<ReadonlyArray<Calendar>> {
    const names = new Set<string>()
    for (const schedule of pipelineSchedules(config)) {
      if (schedule.calendar !== undefined) names.add(schedule.calendar)
      if (schedule.exclude?.holidays !== undefined) names.add(schedule.exclude.holidays)
    }
    const calendars: Calendar[] = []
    for (const name of names) {
      const state = await this.calendar(name)
      if (state.status === 'Registered') calendars.push(state.calendar)
    }
    return calendars
  }

  /** Remove, pause or resume (or register an already decoded config). */
  pipelineCommand(
    pipelineId: string,
    command: PipelineCommand,
    source: CommandSource,
  ): Promise<CommandOutcome<PipelineEvent, PipelineRejection>> {
    return handleCommand(
      this.store,
      { initialState: () => initialPipelineState, evolve: evolvePipeline, decide: decidePipeline },
      pipelineStreamId(pipelineId),
      command,
      {
        ...metadataFor(source),
        tags: { [EVENT_TAGS.pipelineId]: pipelineId },
        context: () => ({ pipelineId, now: this.clock.now() }),
      },
    )
  }

  /**
   * Records a sensor reading in the period its data names (R3), in every schedule of the pipeline. An
   * unknown pipeline or an invalid `date`/`hour` stores nothing.
   */
  async recordSensor(
    input: {
      readonly pipelineId: string
      readonly key: string
      readonly data: Readonly<Record<string, unknown>>
    },
    source: CommandSource,
  ): Promise<Either.Either<SensorRecorded, PipelineNotFound | InvalidSensorPeriod>> {
    const pipeline = await this.pipeline(input.pipelineId)
    if (pipeline.status !== 'Registered')
      return Either.left(new PipelineNotFound({ pipelineId: input.pipelineId }))
    const now = this.clock.now()
    const targets: RunKey[] = []
    for (const schedule of pipelineSchedules(pipeline.config)) {
      const period = resolveExecutionPeriod(input.data, now, schedule.timezone)
      if (Either.isLeft(period)) return Either.left(period.left)
      targets.push({ pipelineId: input.pipelineId, scheduleId: schedule.name, period: period.right })
    }
    const commandId = source.commandId ?? randomUUID()
    const runs = []
    for (const run of targets) {
      const outcome = await this.runCommand(
        run,
        { _tag: 'RecordSensorReading', key: input.key, data: input.data },
        // One id per run stream: the same reading twice is a duplicate in each schedule.
        { ...source, commandId: `sensor:${commandId}:${run.scheduleId}` },
        pipeline,
      )
      runs.push({ run, outcome })
    }
    return Either.right({ pipelineId: input.pipelineId, key: input.key, runs })
  }

  /**
   * Records up to MAX_SENSOR_BATCH readings, each like `recordSensor` (its period in every schedule, R3;
   * an unknown pipeline or an invalid date/hour stores nothing for that reading), with one result per
   * reading in batch order. Each pipeline is loaded once; readings are grouped by run stream and each
   * stream is folded once, its readings decided in turn against the evolving state, and its events
   * appended with the expected version together: one append when none of its readings carries an id
   * (or only one does), else one transaction of one append per reading, since the idempotency record is
   * the command id of an append. A version conflict decides that stream's readings again.
   */
  async recordSensors(
    readings: ReadonlyArray<SensorReadingInput>,
    source: Omit<CommandSource, 'commandId'>,
  ): Promise<ReadonlyArray<SensorBatchResult>> {
    if (readings.length > MAX_SENSOR_BATCH) {
      throw new RangeError(
        `recordSensors was given ${readings.length} readings; send at most ${MAX_SENSOR_BATCH} at once`,
      )
    }
    const pipelines = new Map<string, LoadedPipeline | undefined>()
    await Promise.all(
      [...new Set(readings.map((reading) => reading.pipelineId))].map(async (pipelineId) => {
        const state = await this.pipeline(pipelineId)
        pipelines.set(
          pipelineId,
          state.status === 'Registered'
            ? { state, calendars: await this.calendarsNamedBy(state.config) }
            : undefined,
        )
      }),
    )
    const now = this.clock.now()
    const results: SensorBatchResult[] = new Array(readings.length)
    const runs: Array<Array<{ run: RunKey; outcome: RunOutcome }>> = new Array(readings.length)
    const groups = new Map<string, StreamGroup>()
    readings.forEach((reading, index) => {
      const pipeline = pipelines.get(reading.pipelineId)
      if (pipeline === undefined) {
        results[index] = Either.left(new PipelineNotFound({ pipelineId: reading.pipelineId }))
        return
      }
      const targets: RunKey[] = []
      for (const schedule of pipelineSchedules(pipeline.state.config)) {
        const period = resolveExecutionPeriod(reading.data, now, schedule.timezone)
        if (Either.isLeft(period)) {
          results[index] = Either.left(period.left)
          return
        }
        targets.push({ pipelineId: reading.pipelineId, scheduleId: schedule.name, period: period.right })
      }
      const commandId = reading.id ?? randomUUID()
      runs[index] = new Array(targets.length)
      targets.forEach((run, schedule) => {
        const streamId = runStreamId(run)
        const group = groups.get(streamId) ?? { run, streamId, pipeline, items: [] }
        group.items.push({
          index,
          schedule,
          // The id recordSensor gives the same reading, so either route sees the other's duplicate.
          commandId: `sensor:${commandId}:${run.scheduleId}`,
          anonymous: reading.id === undefined,
          command: { _tag: 'RecordSensorReading', key: reading.key, data: reading.data },
        })
        groups.set(streamId, group)
      })
    })
    const pending = [...groups.values()]
    const lane = async () => {
      for (let group = pending.pop(); group !== undefined; group = pending.pop()) {
        const outcomes = await this.recordStreamGroup(group, source)
        group.items.forEach((item, position) => {
          runs[item.index]![item.schedule] = { run: group.run, outcome: outcomes[position]! }
        })
      }
    }
    await Promise.all(Array.from({ length: Math.min(SENSOR_BATCH_STREAM_CONCURRENCY, pending.length) }, lane))
    readings.forEach((reading, index) => {
      if (results[index] !== undefined) return
      results[index] = Either.right({ pipelineId: reading.pipelineId, key: reading.key, runs: runs[index]! })
    })
    return results
  }

  /** One run stream's readings of a batch: fold once, decide each in turn, append together (see recordSensors). */
  private async recordStreamGroup(
    group: StreamGroup,
    source: Omit<CommandSource, 'commandId'>,
  ): Promise<ReadonlyArray<RunOutcome>> {
    const { run, streamId, pipeline } = group
    const tags = {
      [EVENT_TAGS.pipelineId]: run.pipelineId,
      [EVENT_TAGS.scheduleId]: run.scheduleId,
      [EVENT_TAGS.period]: run.period,
    }
    // Ids found appended elsewhere (another stream or a racing writer) after a conflict: duplicates.
    const appendedElsewhere = new Map<string, AppendResult>()
    for (let attempt = 0; ; attempt++) {
      const recorded = await this.store.readStream(streamId)
      let state = initialRunState
      for (const { event } of recorded) state = evolveRun(state, event as RunEvent)
      const version = recorded.at(-1)?.streamVersion ?? 0
      const earlier = appendsByCommand(recorded)
      const now = this.clock.now()
      const context = {
        now,
        run,
        config: pipeline.state.config,
        configVersion: pipeline.state.version,
        paused: pipeline.state.paused,
        calendars: pipeline.calendars,
      }
      const outcomes: Array<RunOutcome | undefined> = new Array(group.items.length)
      const appends: Array<{
        commandId: string
        anonymous: boolean
        events: RunEvent[]
        items: Array<{ position: number; events: ReadonlyArray<RunEvent> }>
      }> = []
      let nextVersion = version
      const firstWithId = new Map<string, number>()
      const repeats: Array<{ position: number; first: number }> = []
      group.items.forEach((item, position) => {
        // The same id twice in one batch is one reading: the repeat is answered once the first is written.
        const first = item.anonymous ? undefined : firstWithId.get(item.commandId)
        if (first !== undefined) {
          repeats.push({ position, first })
          return
        }
        if (!item.anonymous) firstWithId.set(item.commandId, position)
        const duplicate = item.anonymous
          ? undefined
          : (earlier.get(item.commandId) ?? appendedElsewhere.get(item.commandId))
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
        if (item.anonymous && last?.anonymous === true) {
          last.events.push(...events)
          last.items.push({ position, events })
        } else {
          appends.push({
            commandId: item.commandId,
            anonymous: item.anonymous,
            events: [...events],
            items: [{ position, events }],
          })
        }
      })
      const settle = (): ReadonlyArray<RunOutcome> => {
        for (const { position, first } of repeats) {
          const outcome = outcomes[first]!
          outcomes[position] =
            outcome._tag === 'Accepted' && outcome.append !== undefined
              ? { ...outcome, events: [], append: { ...outcome.append, duplicate: true } }
              : outcome
        }
        return outcomes as RunOutcome[]
      }
      if (appends.length === 0) return settle()
      const later =
        this.timers !== undefined &&
        appends.some((append) => append.events.some((event) => isLaterTimer(event, now)))
      const metadataOf = (commandId: string) => ({
        ...metadataFor({ ...source, commandId }),
        configVersion: pipeline.state.version,
        tags,
      })
      try {
        const written: AppendResult[] = []
        if (appends.length === 1 && !later) {
          const append = appends[0]!
          written.push(
            await this.store.append(
              streamId,
              version === 0 ? 'no_stream' : version,
              append.events,
              metadataOf(append.commandId),
            ),
          )
        } else {
          await this.store.transaction(async (tx) => {
            let expected = version
            for (const append of appends) {
              const result = await this.store.append(
                streamId,
                expected === 0 ? 'no_stream' : expected,
                append.events,
                {
                  ...metadataOf(append.commandId),
                  tx,
                },
              )
              expected = result.nextExpectedVersion
              written.push(result)
            }
            if (later)
              await this.scheduleTimers(
                run,
                streamId,
                appends.flatMap((append) => append.events),
                tx,
              )
          })
        }
        appends.forEach((append, n) => {
          const result = written[n]!
          for (const { position, events } of append.items) {
            outcomes[position] = {
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
        for (const append of appends) {
          if (append.anonymous) continue
          const found = await this.store.findCommand(append.commandId)
          if (found !== undefined) appendedElsewhere.set(append.commandId, found)
        }
        if (attempt >= VERSION_CONFLICT_RETRY.retries) throw error
        await backoff(attempt)
        continue
      }
      // Timers due already are delivered at once, as runCommand does.
      for (const append of appends) {
        for (const event of append.events) {
          if (event._tag !== 'TimerRequested' || Date.parse(event.fireAt) > this.clock.now()) continue
          await this.fireTimerCommand(run, streamId, event.timerId, event.command)
        }
      }
      return settle()
    }
  }

  /**
   * Sends a command to a run stream. `pipeline` may be passed when the caller has just loaded it. Timers
   * the decided events request are scheduled in the append's transaction.
   */
  async runCommand(
    run: RunKey,
    command: RunCommand,
    source: CommandSource,
    pipeline?: PipelineState,
  ): Promise<RunOutcome> {
    const registered = pipeline ?? (await this.pipeline(run.pipelineId))
    const outcome = await this.decideRun(run, command, source, registered)
    await this.deliverDueTimers(run, registered, outcome)
    return outcome
  }

  /**
   * A timer due already (the first evaluation of an attempt is one) is delivered at once, here, rather
   * than after a round through the log reactor (the reactor and pg-boss then deliver a harmless repeat).
   * The first one decides on the state the append just produced, without reading the stream again.
   */
  private async deliverDueTimers(run: RunKey, pipeline: PipelineState, outcome: RunOutcome): Promise<void> {
    if (outcome._tag !== 'Accepted') return
    let held =
      outcome.state === undefined ? undefined : { state: outcome.state, version: outcome.streamVersion }
    for (const event of outcome.events) {
      if (event._tag !== 'TimerRequested' || Date.parse(event.fireAt) > this.clock.now()) continue
      const source = { actor: 'timer', commandId: `timer:${runStreamId(run)}/${event.timerId}` }
      const fired = await this.decideRun(run, event.command, source, pipeline, held)
      await this.deliverDueTimers(run, pipeline, fired)
      // The stream has moved on past the held state: a second due timer (rare) reads it again.
      held = undefined
    }
  }

  private async decideRun(
    run: RunKey,
    command: RunCommand,
    source: CommandSource,
    pipeline: PipelineState | undefined,
    from?: { readonly state: RunState; readonly version: number },
  ): Promise<RunOutcome> {
    const state = pipeline ?? (await this.pipeline(run.pipelineId))
    if (state.status !== 'Registered') {
      throw new PipelineNotFound({ pipelineId: run.pipelineId })
    }
    const calendars = await this.calendarsNamedBy(state.config)
    const streamId = runStreamId(run)
    return handleCommand(
      this.store,
      { initialState: () => initialRunState, evolve: evolveRun, decide: decideRun },
      streamId,
      command,
      {
        ...metadataFor(source),
        ...(from === undefined ? {} : { from }),
        configVersion: state.version,
        tags: {
          [EVENT_TAGS.pipelineId]: run.pipelineId,
          [EVENT_TAGS.scheduleId]: run.scheduleId,
          [EVENT_TAGS.period]: run.period,
        },
        context: () => ({
          now: this.clock.now(),
          run,
          config: state.config,
          configVersion: state.version,
          paused: state.paused,
          calendars,
        }),
        ...(this.timers === undefined
          ? {}
          : {
              withinAppend: (events) =>
                events.some((event) => isLaterTimer(event, this.clock.now()))
                  ? (tx) => this.scheduleTimers(run, streamId, events, tx)
                  : undefined,
            }),
      },
    )
  }

  /**
   * Delivers a timer's command to its run stream. The command id is the timer's own, so a timer fired
   * twice (by pg-boss and by the log reactor, or after a crash) is decided once. A timer of a removed
   * pipeline does nothing.
   */
  async fireTimer(timer: TimerJob): Promise<RunOutcome | undefined> {
    return this.fireTimerCommand(timer.run, timer.streamId, timer.timerId, decodeTimerCommand(timer.command))
  }

  /** The command of a timer, delivered under the timer's id (also used for timers fired from the log). */
  async fireTimerCommand(
    run: RunKey,
    streamId: string,
    timerId: string,
    command: RunCommand,
  ): Promise<RunOutcome | undefined> {
    const pipeline = await this.pipeline(run.pipelineId)
    if (pipeline.status !== 'Registered') return undefined
    return this.runCommand(
      run,
      command,
      { actor: 'timer', commandId: `timer:${streamId}/${timerId}` },
      pipeline,
    )
  }

  /** The config a pipeline had at a version (the current one when `version` is absent). */
  async pipelineConfigAt(
    pipelineId: string,
    version: number | undefined,
  ): Promise<PipelineConfig | undefined> {
    const current = await this.pipeline(pipelineId)
    if (current.status === 'Registered' && (version === undefined || current.version === version)) {
      return current.config
    }
    const events = await this.store.readStream(pipelineStreamId(pipelineId))
    let config: PipelineConfig | undefined
    for (const { event } of events) {
      if (event._tag !== 'PipelineConfigRegistered' && event._tag !== 'PipelineConfigChanged') continue
      if (version !== undefined && event.version > version) break
      config = event.config
    }
    return config
  }

  private async scheduleTimers(
    run: RunKey,
    streamId: string,
    events: ReadonlyArray<RunEvent>,
    tx: pg.ClientBase,
  ): Promise<void> {
    const now = this.clock.now()
    for (const event of events) {
      if (event._tag !== 'TimerRequested' || !isLaterTimer(event, now)) continue
      await this.timers!.schedule(tx, {
        streamId,
        run,
        timerId: event.timerId,
        fireAt: Date.parse(event.fireAt),
        command: encodeTimerCommand(event.command),
      })
    }
  }
}

/**
 * Timers that need pg-boss: those due later. A timer due already is delivered at once by the bus, and, if
 * the process dies first, by the log reactor, which fires every due timer it reads: the log is its backstop.
 */
function isLaterTimer(event: RunEvent, now: number): boolean {
  return event._tag === 'TimerRequested' && Date.parse(event.fireAt) > now
}

/** The appends already in a stream, by the command id that made them (the duplicates a batch must skip). */
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

function backoff(attempt: number): Promise<void> {
  const { minDelayMs, factor, jitter } = VERSION_CONFLICT_RETRY
  const delay = minDelayMs * factor ** attempt * (1 - jitter + Math.random() * jitter * 2)
  return new Promise((resolve) => setTimeout(resolve, delay))
}

function metadataFor(source: CommandSource) {
  return {
    actor: source.actor,
    commandId: source.commandId ?? randomUUID(),
    ...(source.correlationId === undefined ? {} : { correlationId: source.correlationId }),
    ...(source.causationId === undefined ? {} : { causationId: source.causationId }),
  }
}
