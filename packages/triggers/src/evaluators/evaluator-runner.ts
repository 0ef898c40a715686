import type { EvaluatorConfig } from '@interlock/domain'
import type { OutboundHttp } from '../outbound/outbound-http.ts'
import type { InterlockEnvironment } from '../text/env-expansion.ts'
import { makeRedactor } from '../text/redact-secrets.ts'
import type { RunContext } from '../text/template-variables.ts'
import { runCommandEvaluator } from './command-evaluator.ts'
import type { EvaluatorResult } from './evaluator-result.ts'
import { runHttpEvaluator } from './http-evaluator.ts'

/** An evaluator without a `timeout` of its own may take this long (seed 001's archetype default). */
export const DEFAULT_EVALUATOR_TIMEOUT_MS = 30_000

export interface EvaluatorDependencies {
  readonly http: OutboundHttp
  /** `PATH` of subprocess evaluators: the only variable of Interlock's they see. */
  readonly commandPath: string
  /** Used only to redact secrets out of quoted output; evaluators never see these variables. */
  readonly environment: InterlockEnvironment
}

/** Runs one evaluator for a run; never fails (see EvaluatorResult). */
export interface EvaluatorRunner {
  readonly evaluate: (
    evaluator: EvaluatorConfig,
    run: RunContext & { readonly sensorKey: string },
  ) => Promise<EvaluatorResult>
}

/** Subprocess and HTTP evaluators (C15) over the process's outbound client. */
export const makeEvaluatorRunner = (dependencies: EvaluatorDependencies): EvaluatorRunner => {
  const redact = makeRedactor({}, dependencies.environment)
  return {
    evaluate: (evaluator, run) => {
      const input = JSON.stringify(evaluator.config ?? {})
      const timeoutMs = evaluator.timeout?.millis ?? DEFAULT_EVALUATOR_TIMEOUT_MS
      return 'command' in evaluator
        ? runCommandEvaluator({
            command: evaluator.command,
            input,
            timeoutMs,
            redact,
            environment: {
              PATH: dependencies.commandPath,
              INTERLOCK_PIPELINE_ID: run.pipelineId,
              INTERLOCK_PERIOD: run.period,
              INTERLOCK_ATTEMPT_ID: run.attemptId,
              INTERLOCK_SENSOR_KEY: run.sensorKey,
            },
          })
        : runHttpEvaluator({ url: evaluator.url, input, timeoutMs, http: dependencies.http, redact })
    },
  }
}
