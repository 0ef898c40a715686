/**
 * The processor's one source of time. Production reads the wall clock; simulated mode holds a virtual
 * instant that moves only when told to (the end-to-end suite and users' CI move it through the API).
 */
export interface Clock {
  readonly mode: 'system' | 'simulated'
  /** Epoch milliseconds. */
  now(): number
}

export const systemClock: Clock = { mode: 'system', now: () => Date.now() }

export class SimulatedClock implements Clock {
  readonly mode = 'simulated'
  private instant: number

  constructor(start: number) {
    this.instant = start
  }

  now(): number {
    return this.instant
  }

  /** Moves the virtual instant forward; time never runs backwards. */
  moveTo(instant: number): void {
    if (!Number.isFinite(instant)) throw new RangeError(`cannot move the simulated clock to ${instant}`)
    if (instant > this.instant) this.instant = instant
  }
}
