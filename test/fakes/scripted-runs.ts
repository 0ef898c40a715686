/**
 * How one run of a fake job service behaves: the state each successive status poll reports (the last one
 * repeats forever), plus service-specific details.
 */
export interface RunScript<State extends string, Details = object> {
  readonly states: ReadonlyArray<State>
  readonly details?: Details
}

export interface ScriptedRun<State extends string, Details> {
  readonly id: string
  readonly input: unknown
  readonly script: RunScript<State, Details>
  polls: number
  cancelledAs: State | undefined
}

/**
 * The runs a fake has started. Tests queue a script for the next run (`next`), or set the default; every
 * status poll advances the run one step, and a cancel pins it to the service's cancelled state.
 */
export class ScriptedRuns<State extends string, Details = object> {
  readonly #queue: Array<RunScript<State, Details>> = []
  readonly #runs = new Map<string, ScriptedRun<State, Details>>()
  #counter = 0
  #default: RunScript<State, Details>
  readonly #prefix: string

  constructor(prefix: string, defaultScript: RunScript<State, Details>) {
    this.#prefix = prefix
    this.#default = defaultScript
  }

  /** The script of the next run started; several calls queue several runs. */
  next(script: RunScript<State, Details>): void {
    this.#queue.push(script)
  }

  /** The script of every run started without a queued one. */
  setDefault(script: RunScript<State, Details>): void {
    this.#default = script
  }

  /** Starts a run and returns it, with a fresh id unless one is given. */
  start(input: unknown, id?: string): ScriptedRun<State, Details> {
    this.#counter += 1
    const run: ScriptedRun<State, Details> = {
      id: id ?? `${this.#prefix}${String(this.#counter).padStart(4, '0')}`,
      input,
      script: this.#queue.shift() ?? this.#default,
      polls: 0,
      cancelledAs: undefined,
    }
    this.#runs.set(run.id, run)
    return run
  }

  get(id: string): ScriptedRun<State, Details> | undefined {
    return this.#runs.get(id)
  }

  /** Every run started so far, in order. */
  all(): ReadonlyArray<ScriptedRun<State, Details>> {
    return [...this.#runs.values()]
  }

  /** The state this poll reports, advancing the run one step. */
  poll(run: ScriptedRun<State, Details>): State {
    if (run.cancelledAs !== undefined) return run.cancelledAs
    const states = run.script.states
    const state = states[Math.min(run.polls, states.length - 1)]
    run.polls += 1
    if (state === undefined) throw new Error(`the fake run ${run.id} has a script without states`)
    return state
  }

  cancel(run: ScriptedRun<State, Details>, as: State): void {
    run.cancelledAs = as
  }
}

/** `polls` answers of `running`, then `finalState` for good. */
export const after = <State extends string>(
  polls: number,
  running: State,
  finalState: State,
): ReadonlyArray<State> => [...Array<State>(polls).fill(running), finalState]
