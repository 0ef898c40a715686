import { accept, type Decision, reject } from '../shared/decision.ts'
import { runStreamId } from '../shared/run-key.ts'
import type { RunNow } from './commands.ts'
import { applyAll, type Decide, event, stamp, startAttempt } from './decide-support.ts'
import type { RunEvent } from './events.ts'
import { validationOf } from './policy.ts'
import { RunAlreadyStarted, RunNotAllowed, type RunRejection } from './rejections.ts'
import { evaluateRuleSet, isPeriodExcluded } from './rule-port.ts'
import type { RunState } from './state.ts'

const LIVE = new Set(['Evaluating', 'Triggering', 'Polling'])

/**
 * Seed 001's `run`: evaluate now and trigger if ready. A period that has not run (Idle, or Waiting for its
 * schedule's `after`) is evaluated on its stored sensors; the evaluation is recorded either way, and when
 * it passes an attempt (cause `manual`) starts at once, whose first evaluation triggers the job. A live or
 * finished run, an excluded period and a dry-run pipeline are refused with nothing recorded.
 */
export const decideRunNow = (
  command: RunNow,
  state: RunState,
  ctx: Decide,
): Decision<RunEvent, RunRejection> => {
  const status = state.lifecycle.status
  const runStream = runStreamId(ctx.run)
  if (status !== 'Idle' && status !== 'Waiting') {
    return reject(new RunAlreadyStarted({ runStream, status, live: LIVE.has(status) }))
  }
  if (ctx.config.dryRun) return reject(new RunNotAllowed({ runStream, reason: 'dry-run' }))
  if (isPeriodExcluded(ctx.config, ctx.schedule, ctx.run.period, ctx.calendars)) {
    return reject(new RunNotAllowed({ runStream, reason: 'excluded' }))
  }
  const { mode, rules } = validationOf(ctx.config)
  const evaluation = evaluateRuleSet(mode, rules, state.sensors, ctx.now, ctx.run.period)
  const evaluated = event('RunNowEvaluated', {
    ...stamp(ctx),
    requestId: command.requestId,
    mode,
    passed: evaluation.passed,
    ruleResults: evaluation.results,
    sensorSnapshot: evaluation.snapshot,
  })
  if (!evaluation.passed) return accept([evaluated])
  return accept([evaluated, ...startAttempt(applyAll(state, [evaluated]), ctx, 'manual')])
}
