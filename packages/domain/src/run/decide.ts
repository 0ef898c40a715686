import { Either } from 'effect'
import { type Decision, reject, unreachable } from '../shared/decision.ts'
import { instantOf } from '../shared/instant.ts'
import type { RunCommand } from './commands.ts'
import type { RunContext } from './context.ts'
import {
  decideEvaluateRun,
  decidePollJob,
  decideRecordJobCompletion,
  decideRecordJobStarted,
  decideRecordJobStatus,
  decideRecordTriggerFailure,
  decideRetryTrigger,
} from './decide-attempt.ts'
import { decideCheckHeartbeat, decideRecordHeartbeat } from './decide-heartbeat.ts'
import { decideStartDeferredAttempt } from './decide-period-start.ts'
import { decideRequestRerun } from './decide-rerun.ts'
import { decideRunNow } from './decide-run-now.ts'
import { decideFireCron, decideRecordSensorReading } from './decide-sensor.ts'
import type { Decide } from './decide-support.ts'
import {
  decideCheckInclusionDate,
  decideCheckMissedSchedule,
  decideCheckPostRunSensors,
  decideCheckRelativeSla,
  decideCheckStaleRun,
  decideCheckTriggerDeadline,
  decideFireSlaTimer,
  decideReconcileTrigger,
  decideScheduleSla,
} from './decide-watchdog.ts'
import type { RunEvent } from './events.ts'
import { scheduleOf } from './policy.ts'
import { PipelineIsPaused, type RunRejection } from './rejections.ts'
import type { RunState } from './state.ts'

/** Watchdog and cron commands a paused pipeline refuses outright (sensors and job outcomes are still recorded). */
const refusedWhilePaused = new Set<RunCommand['_tag']>(['FireCron', 'RequestRerun', 'RunNow'])

/**
 * Decides one command for one run stream: the events to append, or a typed rejection. Pure and
 * synchronous; `context.now` is the only clock. See the README section "Deciders" for the protocol.
 */
export const decide = (
  command: RunCommand,
  state: RunState,
  context: RunContext,
): Decision<RunEvent, RunRejection> => {
  const schedule = scheduleOf(context.config, context.run.scheduleId)
  if (Either.isLeft(schedule)) return reject(schedule.left)
  if (context.paused && refusedWhilePaused.has(command._tag)) {
    return reject(new PipelineIsPaused({ pipelineId: context.run.pipelineId, command: command._tag }))
  }
  const ctx: Decide = { ...context, schedule: schedule.right, at: instantOf(context.now) }
  switch (command._tag) {
    case 'RecordSensorReading':
      return decideRecordSensorReading(command, state, ctx)
    case 'FireCron':
      return decideFireCron(command, state, ctx)
    case 'StartDeferredAttempt':
      return decideStartDeferredAttempt(command, state, ctx)
    case 'EvaluateRun':
      return decideEvaluateRun(command, state, ctx)
    case 'RetryTrigger':
      return decideRetryTrigger(command, state, ctx)
    case 'RecordJobStarted':
      return decideRecordJobStarted(command, state, ctx)
    case 'RecordTriggerFailure':
      return decideRecordTriggerFailure(command, state, ctx)
    case 'PollJob':
      return decidePollJob(command, state, ctx)
    case 'RecordJobStatus':
      return decideRecordJobStatus(command, state, ctx)
    case 'RecordJobCompletion':
      return decideRecordJobCompletion(command, state, ctx)
    case 'RecordHeartbeat':
      return decideRecordHeartbeat(command, state, ctx)
    case 'CheckHeartbeat':
      return decideCheckHeartbeat(command, state, ctx)
    case 'RequestRerun':
      return decideRequestRerun(command, state, ctx)
    case 'RunNow':
      return decideRunNow(command, state, ctx)
    case 'FireSlaTimer':
      return decideFireSlaTimer(command, state, ctx)
    case 'ScheduleSla':
      return decideScheduleSla(state, ctx)
    case 'CheckStaleRun':
      return decideCheckStaleRun(state, ctx)
    case 'CheckMissedSchedule':
      return decideCheckMissedSchedule(command, state, ctx)
    case 'CheckInclusionDate':
      return decideCheckInclusionDate(command, state, ctx)
    case 'ReconcileTrigger':
      return decideReconcileTrigger(state, ctx)
    case 'CheckPostRunSensors':
      return decideCheckPostRunSensors(state, ctx)
    case 'CheckRelativeSla':
      return decideCheckRelativeSla(state, ctx)
    case 'CheckTriggerDeadline':
      return decideCheckTriggerDeadline(command, state, ctx)
    default:
      return unreachable(command)
  }
}
