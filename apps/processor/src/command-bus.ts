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
  resolveExecutionPeriod,
  runStreamId,
} from '@interlock/domain'
import { type CommandOutcome, type EventStore, handleCommand } from '@interlock/eventstore'
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

export type RunOutcome = CommandOutcome<RunEvent, RunRejection>

export interface SensorRecorded {
  readonly pipelineId: string
  readonly key: string
  /** One run per schedule of the pipeline: the reading is recorded in each schedule's period. */
  readonly runs: ReadonlyArray<{ readonly run: RunKey; readonly outcome: RunOutcome }>
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
      { ...metadataOf(source), tags: { calendar: name }, context: () => ({ name, now: this.clock.now() }) },
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
        ...metadataOf(source),
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
   * Sends a command to a run stream. `pipeline` may be passed when the caller has just loaded it. Timers
   * the decided events request are scheduled in the append's transaction.
   */
  async runCommand(
    run: RunKey,
    command: RunCommand,
    source: CommandSource,
    pipeline?: PipelineState,
  ): Promise<RunOutcome> {
    const outcome = await this.decideRun(run, command, source, pipeline)
    // A timer due already (the first evaluation of an attempt is one) is delivered at once, here, rather
    // than after a round through the log reactor; the reactor and pg-boss then deliver a harmless repeat.
    if (outcome._tag === 'Accepted') {
      for (const event of outcome.events) {
        if (event._tag !== 'TimerRequested' || Date.parse(event.fireAt) > this.clock.now()) continue
        await this.fireTimerCommand(run, runStreamId(run), event.timerId, event.command)
      }
    }
    return outcome
  }

  private async decideRun(
    run: RunKey,
    command: RunCommand,
    source: CommandSource,
    pipeline: PipelineState | undefined,
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
        ...metadataOf(source),
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

function metadataOf(source: CommandSource) {
  return {
    actor: source.actor,
    commandId: source.commandId ?? randomUUID(),
    ...(source.correlationId === undefined ? {} : { correlationId: source.correlationId }),
    ...(source.causationId === undefined ? {} : { causationId: source.causationId }),
  }
}
