import { Either } from 'effect'
import type { Calendar } from '../calendar/calendar.ts'
import type { PipelineConfig } from '../config/pipeline-config.ts'
import { decide } from '../run/decide.ts'
import type { RunEvent, RunEventOf } from '../run/events.ts'
import { evolve, initialRunState, type RunState } from '../run/state.ts'
import { epochMillisOf } from '../shared/instant.ts'
import { type RunKey, runStreamId } from '../shared/run-key.ts'
import type { RecordedRunEvent, ScheduledCommand } from './recorded-history.ts'

/** The config a replay decides with. */
export interface ReplayConfig {
  readonly config: PipelineConfig
  readonly configVersion: number
  readonly calendars: ReadonlyArray<Calendar>
}

/**
 * Where the answers of the outside world come from: the jobs a replayed run asks for and the instants its
 * timers fire. A backtest answers from the recorded history; a generator of histories answers by itself.
 */
export interface ReplayWorld {
  /** When a timer fires; undefined lets it fire at its own instant, right after what asked for it. */
  timerSlot(timerId: string, fireAt: string): { readonly at: number; readonly order: number } | undefined
  /**
   * The answers to a job start (the start itself, later callbacks), or `unknown` when nothing recorded can
   * say how the job would have gone: the replay then stops at "would trigger".
   */
  jobStartRequested(
    request: RunEventOf<'JobStartRequested'>,
    cause: string,
    now: number,
    order: number,
  ): ReadonlyArray<ScheduledCommand> | 'unknown'
  /** The answer to one status check of a started job. */
  statusCheckRequested(
    request: RunEventOf<'JobStatusCheckRequested'>,
    now: number,
    order: number,
  ): ReadonlyArray<ScheduledCommand>
}

/** A replayed run: the events the deciders decided, and where it stopped for want of a job outcome. */
export interface ReplayedRun {
  readonly events: ReadonlyArray<RunEvent>
  /** The same events as a log would hold them, with the command ids a live run gives its appends. */
  readonly recorded: ReadonlyArray<RecordedRunEvent>
  readonly state: RunState
  /** The candidate would start a job the history cannot answer for: when, and for which attempt. */
  readonly wouldTrigger: { readonly at: string; readonly attemptId: string } | null
  /** Commands decided. */
  readonly commands: number
}

/** The queue of due commands, earliest first, ties by order (a binary heap: histories can be long). */
class DueCommands {
  private readonly heap: ScheduledCommand[] = []

  get size(): number {
    return this.heap.length
  }

  push(item: ScheduledCommand): void {
    const heap = this.heap
    heap.push(item)
    let index = heap.length - 1
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (!before(heap[index]!, heap[parent]!)) break
      ;[heap[index], heap[parent]] = [heap[parent]!, heap[index]!]
      index = parent
    }
  }

  pop(): ScheduledCommand | undefined {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top
    heap[0] = last
    let index = 0
    for (;;) {
      const left = index * 2 + 1
      const right = left + 1
      let smallest = index
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right
      if (smallest === index) return top
      ;[heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!]
      index = smallest
    }
  }
}

const before = (a: ScheduledCommand, b: ScheduledCommand): boolean =>
  a.at < b.at || (a.at === b.at && a.order < b.order)

/** Commands derived inside one decision sort after it and before the next recorded input (orders are integers). */
const DERIVED_STEP = 1e-6

/**
 * Replays one period: the inputs in time order through `decideRun`/`evolveRun` with the given config and
 * a simulated clock (each command's instant is its `now`), the run's own timers re-derived from its own
 * `TimerRequested` events, job answers from the world. Nothing is read or written outside the arguments.
 * Commands due after `until` are not decided: the replay knows nothing past the history's end.
 */
export const replayRun = (
  run: RunKey,
  inputs: ReadonlyArray<ScheduledCommand>,
  replay: ReplayConfig,
  world: ReplayWorld,
  until: number,
): ReplayedRun => {
  const due = new DueCommands()
  for (const input of inputs) due.push(input)
  const events: RunEvent[] = []
  const recorded: RecordedRunEvent[] = []
  const stream = runStreamId(run)
  const causes = new Map<string, string>()
  let state = initialRunState
  let derived = 0
  let commands = 0
  for (let item = due.pop(); item !== undefined; item = due.pop()) {
    if (item.at > until) break
    commands += 1
    const decision = decide(item.command, state, {
      now: item.at,
      run,
      config: replay.config,
      configVersion: replay.configVersion,
      paused: false,
      calendars: replay.calendars,
    })
    if (Either.isLeft(decision)) continue
    const order = item.order
    const commandId =
      item.timerId !== undefined ? `timer:${stream}/${item.timerId}` : `replay:${stream}/${commands}`
    const next = (): number => {
      derived += 1
      return order + derived * DERIVED_STEP
    }
    for (const event of decision.right) {
      state = evolve(state, event)
      events.push(event)
      recorded.push({ event, commandId })
      switch (event._tag) {
        case 'AttemptStarted':
          causes.set(event.attemptId, event.cause)
          break
        case 'TimerRequested': {
          const slot = world.timerSlot(event.timerId, event.fireAt)
          due.push(
            slot !== undefined
              ? { ...slot, command: event.command, timerId: event.timerId }
              : {
                  at: Math.max(epochMillisOf(event.fireAt), item.at),
                  order: next(),
                  command: event.command,
                  timerId: event.timerId,
                },
          )
          break
        }
        case 'JobStartRequested': {
          const answers = world.jobStartRequested(event, causes.get(event.attemptId) ?? '', item.at, next())
          if (answers === 'unknown') {
            return {
              events,
              recorded,
              state,
              wouldTrigger: { at: event.at, attemptId: event.attemptId },
              commands,
            }
          }
          for (const answer of answers) due.push(answer)
          break
        }
        case 'JobStatusCheckRequested':
          for (const answer of world.statusCheckRequested(event, item.at, next())) due.push(answer)
          break
        default:
          break
      }
    }
  }
  return { events, recorded, state, wouldTrigger: null, commands }
}
