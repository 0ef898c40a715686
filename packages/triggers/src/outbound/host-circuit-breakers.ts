/** Consecutive failures of one host after which calls to it fail fast (seeds 003, lifecycle §9.4 step 7). */
export const DEFAULT_BREAKER_THRESHOLD = 5
/** How long an open breaker fails fast before it lets one probe through (the original's 60 s). */
export const DEFAULT_BREAKER_COOL_DOWN_MS = 60_000

/** `closed`: calls go through; `open`: they fail fast; `half-open`: the next call (one at a time) is a probe. */
export type CircuitState = 'closed' | 'open' | 'half-open'

/** One target host's breaker, as `/metrics` and `/api/ready` show it. */
export interface HostCircuit {
  /** `hostname:port` as the request URL names it. */
  readonly host: string
  readonly state: CircuitState
  readonly consecutiveFailures: number
  /** While open: when the next probe is let through (epoch milliseconds). */
  readonly probeAt: number | undefined
}

export interface CircuitBreakerOptions {
  readonly threshold?: number
  readonly coolDownMs?: number
  /** The clock of the breaker's cool-down; the processor passes its own (simulated in tests). */
  readonly now?: () => number
}

/**
 * A call refused without reaching the host, because its breaker is open. Callers classify it TRANSIENT:
 * the host may recover, and a retry after the cool-down reaches it again.
 */
export class CircuitOpen extends Error {
  readonly host: string
  readonly failures: number
  readonly probeAt: number
  constructor(host: string, failures: number, probeAt: number) {
    super(
      `circuit open: ${host} failed ${failures} time(s) in a row; calls to it fail fast until a probe at ` +
        `${new Date(probeAt).toISOString()} gets an answer`,
    )
    this.name = 'CircuitOpen'
    this.host = host
    this.failures = failures
    this.probeAt = probeAt
  }
}

interface Circuit {
  failures: number
  /** Set while open (and while half-open: the cool-down is over, a probe may go). */
  probeAt: number | undefined
  probing: boolean
}

/**
 * One circuit breaker per target host, shared by every outbound call of the process (job triggers,
 * evaluators, alert webhooks, Slack): after `threshold` consecutive failures of a host its calls fail fast
 * for `coolDownMs`; then one probe goes through, which closes the breaker on an answer or opens it again.
 * A host is its own: an open breaker never holds up calls to any other host.
 */
export class HostCircuitBreakers {
  private readonly threshold: number
  private readonly coolDownMs: number
  private readonly now: () => number
  private readonly circuits = new Map<string, Circuit>()

  constructor(options: CircuitBreakerOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_BREAKER_THRESHOLD
    this.coolDownMs = options.coolDownMs ?? DEFAULT_BREAKER_COOL_DOWN_MS
    this.now = options.now ?? Date.now
    if (!Number.isInteger(this.threshold) || this.threshold < 1) {
      throw new RangeError(`circuit breaker threshold is ${this.threshold}: expected a whole number ≥ 1`)
    }
  }

  /** Lets a call to `host` go, or throws CircuitOpen. Past the cool-down, the one call let through is the probe. */
  admit(host: string): void {
    const circuit = this.circuits.get(host)
    if (circuit?.probeAt === undefined) return
    if (this.now() < circuit.probeAt || circuit.probing) {
      throw new CircuitOpen(host, circuit.failures, circuit.probeAt)
    }
    circuit.probing = true
  }

  /** The host answered (any status that is not an outage): its breaker closes. */
  succeeded(host: string): void {
    this.circuits.delete(host)
  }

  /** The host did not answer, timed out, or answered 5xx/429. */
  failed(host: string): void {
    const circuit = this.circuits.get(host) ?? { failures: 0, probeAt: undefined, probing: false }
    circuit.failures++
    if (circuit.probing || circuit.failures >= this.threshold) {
      circuit.probeAt = this.now() + this.coolDownMs
      circuit.probing = false
    }
    this.circuits.set(host, circuit)
  }

  /** A call let through ended with no verdict on the host (cancelled by the caller): a probe may go again. */
  released(host: string): void {
    const circuit = this.circuits.get(host)
    if (circuit !== undefined) circuit.probing = false
  }

  /** Every host with a failure on record, by name; hosts not listed are closed with no failures. */
  states(): ReadonlyArray<HostCircuit> {
    const now = this.now()
    return [...this.circuits.entries()]
      .map(([host, circuit]) => ({
        host,
        state: stateOf(circuit, now),
        consecutiveFailures: circuit.failures,
        probeAt: circuit.probeAt,
      }))
      .sort((left, right) => left.host.localeCompare(right.host))
  }
}

const stateOf = (circuit: Circuit, now: number): CircuitState =>
  circuit.probeAt === undefined ? 'closed' : now < circuit.probeAt ? 'open' : 'half-open'
