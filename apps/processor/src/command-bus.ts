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
  type RunState,
  runStreamId,
} from '@interlock/domain'
import {
  type CommandOutcome,
  type EventStore,
  handleCommand,
  StreamVersionConflict,
  VERSION_CONFLICT_RETRY,
} from '@interlock/eventstore'
import { Data, Either, Schema } from 'effect'
import type pg from 'pg'
import type { Clock } from './clock.ts'
import { type CommandSource, PipelineNotFound, type RunOutcome } from './commands.ts'
import { type HeldRunState, RecentlyUsed } from './recently-used.ts'
import {
  type HeldPipeline,
  isLaterTimer,
  MAX_SENSOR_BATCH,
  type SensorBatchResult,
  SensorWriter,
} from './sensor-writer.ts'
import { recordShadowReadings } from './shadow.ts'
import type { TimerJob, Timers } from './timers.ts'

/** What runs before an evaluation tick is decided: the active evaluators (C15). True when it recorded readings. */
export interface EvaluationHook {
  readonly beforeEvaluation: (
    bus: CommandBus,
    run: RunKey,
    command: Extract<RunCommand, { readonly _tag: 'EvaluateRun' }>,
    config: PipelineConfig,
  ) => Promise<boolean>
  /** Before seed 001's run (`RunNow`) is decided: the evaluators run, so "evaluate now" judges fresh results. */
  readonly beforeRunNow?: (
    bus: CommandBus,
    run: RunKey,
    requestId: string,
    config: PipelineConfig,
  ) => Promise<boolean>
  /** Readiness now (`evaluate`, records nothing): the evaluators' results as readings, by sensor key. */
  readonly readingsNow?: (
    run: RunKey,
    config: PipelineConfig,
    at: number,
  ) => Promise<Readonly<Record<string, Record<string, unknown>>>>
}

/** A config that does not validate: every problem at once, nothing stored (C3). */
export class ConfigInvalid extends Data.TaggedError('ConfigInvalid')<{
  readonly issues: ReadonlyArray<ConfigIssue>
  /** What was refused, as the message names it (a pipeline config when absent). */
  readonly subject?: 'calendar'
}> {
  override get message(): string {
    const subject = this.subject === 'calendar' ? 'calendar' : 'pipeline config'
    return `The ${subject} has ${this.issues.length} problem(s): ${this.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`
  }
}

export { type CommandSource, PipelineNotFound, type RunOutcome } from './commands.ts'
export { MAX_SENSOR_BATCH, type SensorBatchResult, type SensorRecorded } from './sensor-writer.ts'

/** One reading of a batch; `id` is its command id: the same id twice records the reading once. */
export interface SensorReadingInput {
  readonly pipelineId: string
  readonly key: string
  readonly data: Readonly<Record<string, unknown>>
  readonly id?: string
}

/** Delivered timers remembered: a repeat older than this is decided again (once, by its command id). */
const DELIVERED_TIMERS_HELD = 50_000

/** Run streams held folded in memory: about a day of hourly periods for 1,000 pipelines. */
const RUN_STATES_HELD = 25_000

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
  private readonly evaluations: EvaluationHook | undefined
  private readonly pipelines = new Map<
    string,
    { readonly streamVersion: number; readonly state: PipelineState }
  >()
  /** Run streams as this process last folded them: a command on a held run appends without reading it. */
  readonly runStates = new RecentlyUsed<HeldRunState>(RUN_STATES_HELD)
  /** Timers this process delivered (see hasDeliveredTimer). */
  private readonly deliveredTimers = new RecentlyUsed<true>(DELIVERED_TIMERS_HELD)
  private readonly sensors: SensorWriter

  constructor(deps: {
    store: EventStore<InterlockEvent>
    clock: Clock
    timers?: Timers
    evaluations?: EvaluationHook
  }) {
    this.store = deps.store
    this.clock = deps.clock
    this.timers = deps.timers
    this.evaluations = deps.evaluations
    this.sensors = new SensorWriter({
      store: this.store,
      clock: this.clock,
      runStates: this.runStates,
      schedulesTimers: this.timers !== undefined,
      heldPipeline: (pipelineId, fresh) => this.heldPipeline(pipelineId, fresh),
      scheduleTimers: (run, streamId, events, tx) => this.scheduleTimers(run, streamId, events, tx),
      fireTimerCommand: (run, streamId, timerId, command) =>
        this.fireTimerCommand(run, streamId, timerId, command),
    })
  }

  /**
   * The pipeline a decision is made on. Held in memory, it costs no round trip: the decision's append is
   * guarded by the pipeline stream's version, so a held pipeline that is stale is refused and reloaded,
   * never decided on. `fresh` (or nothing registered held) reads its version first. A pipeline that names
   * calendars reads them each time: a calendar changes on a stream of its own, which no guard covers.
   */
  async heldPipeline(pipelineId: string, fresh: boolean): Promise<HeldPipeline | undefined> {
    let held = fresh ? undefined : this.pipelines.get(pipelineId)
    const checked = held === undefined || held.state.status !== 'Registered'
    if (checked) {
      await this.pipeline(pipelineId)
      held = this.pipelines.get(pipelineId)
    }
    if (held === undefined || held.state.status !== 'Registered') return undefined
    const state = held.state
    return {
      state,
      streamVersion: held.streamVersion,
      calendars: await this.calendarsNamedBy(state.config),
      checked,
    }
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
    if (Either.isLeft(parsed)) {
      return Either.left(new ConfigInvalid({ issues: parsed.left, subject: 'calendar' }))
    }
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
  async pipelineCommand(
    pipelineId: string,
    command: PipelineCommand,
    source: CommandSource,
  ): Promise<CommandOutcome<PipelineEvent, PipelineRejection>> {
    // What this process holds of the pipeline is about to be stale: the next decision reads it again.
    this.pipelines.delete(pipelineId)
    return await handleCommand(
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
   * unknown pipeline or an invalid `date`/`hour` stores nothing. Readings that arrive while others are
   * being written go together in the next write (see SensorWriter).
   */
  async recordSensor(
    input: {
      readonly pipelineId: string
      readonly key: string
      readonly data: Readonly<Record<string, unknown>>
    },
    source: CommandSource,
  ): Promise<SensorBatchResult> {
    const { commandId, ...sender } = source
    const result = await this.sensors.record({
      pipelineId: input.pipelineId,
      key: input.key,
      data: input.data,
      ...(commandId === undefined ? {} : { id: commandId }),
      source: sender,
    })
    await this.observeInShadow(input, result, () => ({ ...sender, commandId: commandId ?? randomUUID() }))
    return result
  }

  /** A recorded reading is observed by the pipeline's shadow config too, when it has one (issue #11). */
  private async observeInShadow(
    reading: {
      readonly pipelineId: string
      readonly key: string
      readonly data: Readonly<Record<string, unknown>>
    },
    result: SensorBatchResult,
    source: () => CommandSource & { readonly commandId: string },
  ): Promise<void> {
    if (Either.isLeft(result)) return
    // The writer has just held the pipeline: a pipeline without a shadow costs one map lookup.
    const state = this.pipelines.get(reading.pipelineId)?.state ?? (await this.pipeline(reading.pipelineId))
    if (state.status !== 'Registered' || state.shadow === null) return
    const calendars = await this.calendarsNamedBy(state.shadow.config)
    const runs = result.right.runs.map((entry) => entry.run)
    await recordShadowReadings(this, state, calendars, runs, reading, source())
  }

  /**
   * Whether a recorded reading may have a shadow to observe it: the writer has just held the pipeline, so
   * one without a shadow is known from memory, and its reading costs neither a command id nor a wait.
   */
  private mayShadow(pipelineId: string, result: SensorBatchResult): boolean {
    if (Either.isLeft(result)) return false
    const held = this.pipelines.get(pipelineId)?.state
    return held === undefined || (held.status === 'Registered' && held.shadow !== null)
  }

  /**
   * Records up to MAX_SENSOR_BATCH readings, each like `recordSensor` (its period in every schedule, R3;
   * an unknown pipeline or an invalid date/hour stores nothing for that reading), with one result per
   * reading in batch order, in as few appends as the streams allow (see SensorWriter).
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
    const results = await this.sensors.recordMany(readings.map((reading) => ({ ...reading, source })))
    for (const [index, reading] of readings.entries()) {
      const result = results[index]!
      if (!this.mayShadow(reading.pipelineId, result)) continue
      await this.observeInShadow(reading, result, () => ({
        ...source,
        commandId: reading.id ?? randomUUID(),
      }))
    }
    return results
  }

  /** The folded run stream of one period, read from the log (not the held state another process may have moved on). */
  /** What the pipeline's evaluators answer now, as readings by sensor key (C15); nothing is recorded. */
  async evaluatorReadings(
    run: RunKey,
    config: PipelineConfig,
  ): Promise<Readonly<Record<string, Record<string, unknown>>>> {
    return (await this.evaluations?.readingsNow?.(run, config, this.clock.now())) ?? {}
  }

  async runState(run: RunKey): Promise<RunState> {
    const events = await this.store.readStream(runStreamId(run))
    return events.reduce((state, { event }) => evolveRun(state, event as RunEvent), initialRunState)
  }

  /**
   * Sends a command to a run stream, on the pipeline and run state held in memory (see decideRun). Timers
   * the decided events request are scheduled in the append's transaction.
   */
  async runCommand(run: RunKey, command: RunCommand, source: CommandSource): Promise<RunOutcome> {
    const outcome = await this.decideRun(run, command, source)
    await this.deliverDueTimers(run, outcome)
    return outcome
  }

  /**
   * A timer due already (the first evaluation of an attempt is one) is delivered at once, here, rather
   * than after a round through the log reactor (the reactor and pg-boss then deliver a harmless repeat).
   * It decides on the state the append just produced (held in runStates), without reading the stream.
   */
  private async deliverDueTimers(run: RunKey, outcome: RunOutcome): Promise<void> {
    if (outcome._tag !== 'Accepted') return
    for (const event of outcome.events) {
      if (event._tag !== 'TimerRequested' || Date.parse(event.fireAt) > this.clock.now()) continue
      const source = { actor: 'timer', commandId: `timer:${runStreamId(run)}/${event.timerId}` }
      const fired = await this.decideRun(run, event.command, source)
      this.timerDelivered(runStreamId(run), event.timerId)
      await this.deliverDueTimers(run, fired)
    }
  }

  /**
   * Decides a run command on the pipeline and run state held in memory when there are (else read), and
   * appends under a guard on the pipeline's stream: a config, pause or removal that landed meanwhile
   * (from this process or another) refuses the append, and the command is decided again on the fresh
   * pipeline. A refusal or a no-op decided on a held pipeline is checked against its stream's version.
   */
  private async decideRun(run: RunKey, command: RunCommand, source: CommandSource): Promise<RunOutcome> {
    const streamId = runStreamId(run)
    const pipelineStream = pipelineStreamId(run.pipelineId)
    if (command._tag === 'EvaluateRun' && this.evaluations !== undefined) {
      // Evaluators run first and record their readings (each its own command), so this tick decides on them.
      const pipeline = await this.heldPipeline(run.pipelineId, false)
      if (pipeline !== undefined)
        await this.evaluations.beforeEvaluation(this, run, command, pipeline.state.config)
    }
    if (command._tag === 'RunNow' && this.evaluations?.beforeRunNow !== undefined) {
      const pipeline = await this.heldPipeline(run.pipelineId, false)
      if (pipeline !== undefined)
        await this.evaluations.beforeRunNow(this, run, command.requestId, pipeline.state.config)
    }
    for (let attempt = 0; ; attempt++) {
      const held = await this.heldPipeline(run.pipelineId, attempt > 0)
      if (held === undefined) throw new PipelineNotFound({ pipelineId: run.pipelineId })
      const { state } = held
      let outcome: RunOutcome
      try {
        const from = this.runStates.get(streamId)
        outcome = await handleCommand(
          this.store,
          { initialState: () => initialRunState, evolve: evolveRun, decide: decideRun },
          streamId,
          command,
          {
            ...metadataFor(source),
            ...(from === undefined ? {} : { from }),
            guard: { streamId: pipelineStream, version: held.streamVersion },
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
              calendars: held.calendars,
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
      } catch (error) {
        if (
          error instanceof StreamVersionConflict &&
          error.streamId === pipelineStream &&
          attempt < VERSION_CONFLICT_RETRY.retries
        ) {
          this.runStates.delete(streamId)
          continue
        }
        this.runStates.delete(streamId)
        throw error
      }
      if (outcome._tag === 'Accepted' && outcome.state !== undefined) {
        this.runStates.set(streamId, { state: outcome.state, version: outcome.streamVersion })
      } else {
        this.runStates.delete(streamId)
      }
      const unchecked = outcome._tag === 'Rejected' || outcome.events.length === 0
      if (
        unchecked &&
        !held.checked &&
        (await this.store.streamVersion(pipelineStream)) !== held.streamVersion
      ) {
        continue
      }
      return outcome
    }
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
    // Held is enough: the decision's append is guarded by the pipeline's version.
    const held = await this.heldPipeline(run.pipelineId, false)
    if (held === undefined) return undefined
    const outcome = await this.runCommand(run, command, {
      actor: 'timer',
      commandId: `timer:${streamId}/${timerId}`,
    })
    this.timerDelivered(streamId, timerId)
    return outcome
  }

  /**
   * Whether this process has delivered the timer already (inline, as a due timer, or from pg-boss): the
   * log reactor then has nothing to fire, and skips the round trips a repeat would cost before the
   * events after it in the stream (a job start) are handled.
   */
  hasDeliveredTimer(streamId: string, timerId: string): boolean {
    return this.deliveredTimers.get(`${streamId}/${timerId}`) === true
  }

  private timerDelivered(streamId: string, timerId: string): void {
    this.deliveredTimers.set(`${streamId}/${timerId}`, true)
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

function metadataFor(source: CommandSource) {
  return {
    actor: source.actor,
    commandId: source.commandId ?? randomUUID(),
    ...(source.correlationId === undefined ? {} : { correlationId: source.correlationId }),
    ...(source.causationId === undefined ? {} : { causationId: source.causationId }),
  }
}
