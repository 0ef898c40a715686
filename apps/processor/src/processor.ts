import { InterlockEvent, instantOf } from '@interlock/domain'
import { EventStore, makeEventCodec, Subscription } from '@interlock/eventstore'
import {
  type DeadLetter,
  markDeadLetterRedriven,
  type Projection,
  ProjectionRunner,
} from '@interlock/projections'
import {
  destroyAwsClients,
  type HostCircuit,
  interlockEnvironment,
  makeAwsClients,
  makeEvaluatorRunner,
  makeOutboundHttp,
  makeTriggerRunner,
} from '@interlock/triggers'
import pg from 'pg'
import { PgBoss } from 'pg-boss'
import { alertConfig } from './alerts/alert-config.ts'
import { type AlertDispatcher, startAlertDispatcher } from './alerts/alert-dispatcher.ts'
import { ALERT_DEAD_LETTER_KIND } from './alerts/delivery-worker.ts'
import { AlertRedriveRefused, redriveAlert } from './alerts/redrive-alert.ts'
import { type Clock, SimulatedClock, systemClock } from './clock.ts'
import { CommandBus } from './command-bus.ts'
import type { ProcessorConfig } from './config.ts'
import { EvaluationSensors } from './evaluators/evaluation-sensors.ts'
import { type JobStartPoint, REACTION_DEAD_LETTER_KIND, Reactor, type ReactorLog } from './reactor.ts'
import { type TimerJob, Timers } from './timers.ts'
import { Watchdog } from './watchdog/watchdog.ts'

/** A running processor: the command bus, its clock, and the loops that act on the log. */
export interface Processor {
  readonly bus: CommandBus
  readonly clock: Clock
  readonly timers: Timers
  readonly store: EventStore<InterlockEvent>
  readonly pool: pg.Pool
  /** The watchdog (lifecycle §5) and keeper of cron fires; its scan runs as a timer on the same queue. */
  readonly watchdog: Watchdog
  /** The alert dispatcher (lifecycle §9.4): its own subscription, and a delivery worker per sink. */
  readonly alerts: AlertDispatcher
  /**
   * Simulated clock only: moves virtual time to `to`, firing every due timer in order and waiting for
   * each one's effects. Returns the number of timers fired.
   */
  readonly advanceTo: (to: number) => Promise<number>
  /** Resolves once everything appended so far has been reacted to and projected, and nothing new follows. */
  readonly settle: () => Promise<void>
  /**
   * Performs a dead-lettered side effect again: an alert delivery goes back in its sink's queue; a
   * reaction is performed again from its event. Marks the dead letter redriven when that succeeded.
   */
  readonly redriveDeadLetter: (deadLetter: DeadLetter) => Promise<void>
  /** The circuit breaker of every outbound host with a failure on record (for /metrics and /api/ready). */
  readonly circuits: () => ReadonlyArray<HostCircuit>
  /** Stops the loops after the work in flight, then closes connections. */
  readonly stop: () => Promise<void>
}

export interface ProcessorOptions {
  readonly projections?: ReadonlyArray<Projection<InterlockEvent>>
  readonly log?: ReactorLog
  /** Pool size (default 10). */
  readonly poolSize?: number
  /** Crash tests only: called at the job-start points where a crash matters. */
  readonly faultPoint?: (point: JobStartPoint) => void
}

const REACTOR_SUBSCRIPTION = 'reactor'
const SETTLE_ROUNDS = 50

/** Wires the processor from its config: one composition root, nothing else reads the environment. */
export async function startProcessor(
  config: ProcessorConfig,
  options: ProcessorOptions = {},
): Promise<Processor> {
  const log = options.log ?? (() => {})
  // Read first: an invalid alert setting stops the start before anything is opened.
  const alertSettings = alertConfig(config.settings)
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: options.poolSize ?? 10 })
  pool.on('error', (error) => log('warn', 'idle database connection failed', { error: error.message }))
  const store = new EventStore({ pool, codec: makeEventCodec(InterlockEvent) })
  await store.wakeup.listen(config.databaseUrl)

  const clock = config.clock.mode === 'simulated' ? new SimulatedClock(config.clock.start) : systemClock
  const boss = new PgBoss({ connectionString: config.databaseUrl, schema: 'pgboss' })
  boss.on('error', (error) => log('error', 'pg-boss failed', { error: error.message }))
  await boss.start()
  const timers = new Timers(boss, clock)
  await timers.createQueue()
  const http = makeOutboundHttp({
    allowPrivateTargets: config.allowPrivateTargets,
    // The breakers' cool-down runs on the processor's clock, so a simulated clock drives it too.
    circuitBreaker: { ...config.circuitBreaker, now: () => clock.now() },
  })
  const environment = interlockEnvironment(config.environment, config.jobEnvironmentAllowed)
  const evaluations = new EvaluationSensors({
    runner: makeEvaluatorRunner({ http, environment, commandPath: config.commandPath }),
    log,
  })
  const bus = new CommandBus({ store, clock, timers, evaluations })

  // Watchdog: its scans and the cron fires are timers on the same queue; it hands every other timer to the bus.
  const watchdog = new Watchdog({
    bus,
    timers,
    pool,
    clock,
    intervalSeconds: config.watchdogIntervalSeconds,
    log,
  })
  const fireTimer = (timer: TimerJob) => watchdog.handle(timer, () => bus.fireTimer(timer))
  await watchdog.start()

  const aws = makeAwsClients()
  const triggers = makeTriggerRunner({
    environment,
    http,
    aws,
    commandPath: config.commandPath,
  })
  const reactor = new Reactor({
    bus,
    triggers,
    processorId: config.processorId,
    log,
    ...(options.faultPoint === undefined ? {} : { faultPoint: options.faultPoint }),
  })
  const reactions = new Subscription(store, REACTOR_SUBSCRIPTION, (events) => reactor.handle(events), {
    transactional: false,
    onError: (error, attempt) =>
      log('error', 'reactor batch failed; retrying', { error: String(error), attempt }),
  })
  // Alerts: their own at-least-once subscription and a worker per sink, so a sink that is down never holds up the log.
  const alerts = startAlertDispatcher({
    store,
    http,
    config: alertSettings,
    log,
    pipelineInfo: async (pipelineId, version) => (await bus.pipelineConfigAt(pipelineId, version))?.pipeline,
  })
  const projections = new ProjectionRunner(store, options.projections ?? [])
  projections.start({
    onError: (name, error, attempt) =>
      log('error', 'projection batch failed; retrying', { name, error: String(error), attempt }),
  })

  if (clock.mode === 'system') {
    await timers.work(fireTimer)
  }

  const head = async () =>
    (await pool.query<{ p: string | null }>('select max(global_position)::text as p from events')).rows[0]?.p
  const settle = async () => {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      const before = await head()
      await reactions.caughtUp()
      await projections.caughtUp()
      if ((await head()) === before) return
    }
    throw new Error(`the processor did not settle after ${SETTLE_ROUNDS} rounds: something keeps appending`)
  }

  return {
    bus,
    clock,
    timers,
    store,
    pool,
    watchdog,
    alerts,
    settle,
    circuits: () => http.circuits(),
    advanceTo: async (to) => {
      if (!(clock instanceof SimulatedClock)) throw new Error('advanceTo needs INTERLOCK_CLOCK=simulated')
      await settle()
      await watchdog.noticeActivity()
      return timers.advanceTo(clock, to, fireTimer, settle)
    },
    redriveDeadLetter: async (deadLetter) => {
      const at = instantOf(clock.now())
      if (deadLetter.kind === ALERT_DEAD_LETTER_KIND) {
        await redriveAlert(pool, deadLetter, at)
        return
      }
      if (deadLetter.kind !== REACTION_DEAD_LETTER_KIND) {
        throw new AlertRedriveRefused(
          `dead letter ${deadLetter.id} is of kind ${deadLetter.kind}, which has no redrive; kinds that do: ${ALERT_DEAD_LETTER_KIND}, ${REACTION_DEAD_LETTER_KIND}.`,
        )
      }
      await reactor.redrive(deadLetter.payload)
      await markDeadLetterRedriven(pool, deadLetter.id, at)
    },
    stop: async () => {
      await reactions.stop()
      await alerts.stop()
      await projections.stop()
      await boss.stop({ graceful: true })
      await store.close()
      await http.close()
      destroyAwsClients(aws)
      await pool.end()
    },
  }
}
