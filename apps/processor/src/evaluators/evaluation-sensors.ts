import type { EvaluatorConfig, PipelineConfig, RunCommand, RunKey, RunState } from '@interlock/domain'
import type { EvaluatorResult, EvaluatorRunner } from '@interlock/triggers'
import type { CommandBus } from '../command-bus.ts'
import type { ReactorLog } from '../reactor.ts'

/** The actor of evaluator readings, and their `source` field: rules and explain see who produced them. */
export const EVALUATOR_SOURCE = 'evaluator'

type EvaluateRun = Extract<RunCommand, { readonly _tag: 'EvaluateRun' }>

/** One sensor an evaluator produces: the first rule naming an evaluator for its key wins. */
export interface EvaluatedSensor {
  readonly key: string
  readonly evaluator: EvaluatorConfig
}

/** The sensors of a config's validation rules that Interlock produces itself (C15), one per key. */
export const evaluatedSensors = (config: PipelineConfig): ReadonlyArray<EvaluatedSensor> => {
  const byKey = new Map<string, EvaluatorConfig>()
  for (const rule of config.validation.rules) {
    if (rule.evaluator !== undefined && !byKey.has(rule.key)) byKey.set(rule.key, rule.evaluator)
  }
  return [...byKey].map(([key, evaluator]) => ({ key, evaluator }))
}

/**
 * Whether an EvaluateRun will evaluate (the decider's own conditions, lifecycle A2–A6): the live attempt's
 * next tick, inside its window, the pipeline not paused. A repeat of a tick already decided (the log
 * reactor and pg-boss deliver each timer again) runs no evaluator.
 */
export const evaluationIsDue = (command: EvaluateRun, state: RunState, paused: boolean): boolean => {
  const lifecycle = state.lifecycle
  if (paused || lifecycle.status !== 'Evaluating') return false
  if (lifecycle.attempt.attemptId !== command.attemptId) return false
  if (command.evaluationNumber !== lifecycle.evaluationsDone + 1) return false
  const { evaluationIntervalMs, evaluationWindowMs } = lifecycle.attempt.timing
  return (command.evaluationNumber - 1) * evaluationIntervalMs < evaluationWindowMs
}

/**
 * The reading an evaluator result becomes: `status`, the fields of its `value` (so rules read them as
 * they read any pushed sensor), `source: evaluator`, `updatedAt` (what a TTL rule, `age_lt` on
 * `updatedAt`, reads) and, for a FAIL the evaluator did not report itself, the `reason`.
 */
export const evaluatorReading = (result: EvaluatorResult, at: number): Record<string, unknown> => ({
  ...result.value,
  status: result.status,
  source: EVALUATOR_SOURCE,
  updatedAt: new Date(at).toISOString(),
  ...(result.reason === undefined ? {} : { reason: result.reason }),
})

/** Ticks this process remembers having run the evaluators of (a tick is never due again once decided). */
const TICKS_REMEMBERED = 10_000

export interface EvaluationSensorsOptions {
  readonly runner: EvaluatorRunner
  readonly log?: ReactorLog
}

/**
 * Runs a pipeline's evaluators at each evaluation of a period, all at once, and records each result as an
 * ordinary sensor reading of the run through the command bus (the path of pushed readings), before the
 * evaluation decides on them. A tick is delivered more than once (at once by the bus, again by the log
 * reactor and pg-boss): this process runs its evaluators once, and a repeat waits for that run. Each
 * reading's command id names the tick, so even two processes record it once.
 */
export class EvaluationSensors {
  private readonly runner: EvaluatorRunner
  private readonly log: ReactorLog
  /** Ticks whose evaluators ran or are running here, oldest first. */
  private readonly ticks = new Map<string, Promise<boolean>>()

  constructor(options: EvaluationSensorsOptions) {
    this.runner = options.runner
    this.log = options.log ?? (() => {})
  }

  /** Runs and records the evaluators of `config` for this tick; false when there was nothing to run. */
  beforeEvaluation(
    bus: CommandBus,
    run: RunKey,
    command: EvaluateRun,
    config: PipelineConfig,
  ): Promise<boolean> {
    if (evaluatedSensors(config).length === 0) return Promise.resolve(false)
    const tick = `${command.attemptId}/${command.evaluationNumber}`
    const known = this.ticks.get(tick)
    if (known !== undefined) return known
    const running = this.evaluate(bus, run, command, config)
    this.ticks.set(tick, running)
    if (this.ticks.size > TICKS_REMEMBERED) this.ticks.delete(this.ticks.keys().next().value as string)
    // A run that failed (the database, not an evaluator) may be tried again by the next delivery.
    running.catch(() => this.ticks.delete(tick))
    return running
  }

  private async evaluate(
    bus: CommandBus,
    run: RunKey,
    command: EvaluateRun,
    config: PipelineConfig,
  ): Promise<boolean> {
    const sensors = evaluatedSensors(config)
    if (sensors.length === 0) return false
    const pipeline = await bus.pipeline(run.pipelineId)
    if (pipeline.status !== 'Registered') return false
    if (!evaluationIsDue(command, await bus.runState(run), pipeline.paused)) return false
    await this.runAndRecord(
      bus,
      run,
      sensors,
      command.attemptId,
      `${command.attemptId}/${command.evaluationNumber}`,
    )
    return true
  }

  /**
   * Seed 001's run (`RunNow`, evaluate now and trigger if ready): the evaluators of a period that has not
   * run yet run first and their readings are recorded, so the decision judges fresh results. Once per
   * request id (the readings' command ids name it); false when there was nothing to run.
   */
  async beforeRunNow(
    bus: CommandBus,
    run: RunKey,
    requestId: string,
    config: PipelineConfig,
  ): Promise<boolean> {
    const sensors = evaluatedSensors(config)
    if (sensors.length === 0) return false
    const pipeline = await bus.pipeline(run.pipelineId)
    if (pipeline.status !== 'Registered' || pipeline.paused) return false
    const status = (await bus.runState(run)).lifecycle.status
    if (status !== 'Idle' && status !== 'Waiting') return false
    await this.runAndRecord(bus, run, sensors, `run-now/${requestId}`, `run-now/${requestId}`)
    return true
  }

  /**
   * `evaluate` (readiness now, records nothing): the evaluators' results as the readings they would be, by
   * sensor key, for the caller to judge the rules on; nothing is recorded.
   */
  async readingsNow(
    run: RunKey,
    config: PipelineConfig,
    at: number,
  ): Promise<Readonly<Record<string, Record<string, unknown>>>> {
    const sensors = evaluatedSensors(config)
    const results = await Promise.all(
      sensors.map(async ({ key, evaluator }) => {
        const context = {
          pipelineId: run.pipelineId,
          period: run.period,
          attemptId: `evaluate/${run.period}`,
        }
        return [
          key,
          evaluatorReading(await this.runner.evaluate(evaluator, { ...context, sensorKey: key }), at),
        ] as const
      }),
    )
    return Object.fromEntries(results)
  }

  /** Runs the evaluators at once and records each result as a reading; `tick` names them in command ids. */
  private async runAndRecord(
    bus: CommandBus,
    run: RunKey,
    sensors: ReadonlyArray<EvaluatedSensor>,
    attemptId: string,
    tick: string,
  ): Promise<void> {
    const results = await Promise.all(
      sensors.map(async ({ key, evaluator }) => ({
        key,
        result: await this.runner.evaluate(evaluator, {
          pipelineId: run.pipelineId,
          period: run.period,
          attemptId,
          sensorKey: key,
        }),
      })),
    )
    const at = bus.clock.now()
    for (const { key, result } of results) {
      if (result.reason !== undefined) {
        this.log('warn', 'evaluator failed', { pipelineId: run.pipelineId, key, reason: result.reason })
      }
      await bus.runCommand(
        run,
        { _tag: 'RecordSensorReading', key, data: evaluatorReading(result, at) },
        {
          actor: EVALUATOR_SOURCE,
          commandId: `evaluator:${tick}/${key}`,
        },
      )
    }
  }
}
