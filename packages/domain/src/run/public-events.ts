import type { RunKey } from '../shared/run-key.ts'
import type { RunEvent, RunEventOf, RunEventType } from './events.ts'

/** How loud a public event is; the alert dispatcher picks the emoji from it (🔴 🟡 ✅ ℹ️, lifecycle §9.4). */
export type Severity = 'critical' | 'warning' | 'success' | 'info'

/**
 * A public event in the original's language (lifecycle §9.2): its type (`JOB_TRIGGERED`, `SLA_BREACH`, …),
 * severity, whether alert routes receive it, its message and structured detail. The events table and
 * the alert dispatcher are written from these.
 */
export interface PublicEvent {
  readonly type: string
  readonly severity: Severity
  readonly alert: boolean
  readonly message: string
  readonly detail: Readonly<Record<string, unknown>>
}

type Template<Tag extends RunEventType> = (event: RunEventOf<Tag>, run: RunKey) => PublicEvent | null

const info = (
  type: string,
  message: string,
  detail: Record<string, unknown> = {},
  alert = true,
): PublicEvent => ({
  type,
  severity: 'info',
  alert,
  message,
  detail,
})
const red = (type: string, message: string, detail: Record<string, unknown> = {}): PublicEvent => ({
  type,
  severity: 'critical',
  alert: true,
  message,
  detail,
})
const none = (): null => null

/** `sla.critical` raises an SLA alert to critical (C10). */
const slaSeverity = (base: Severity, critical: boolean): Severity => (critical ? 'critical' : base)

const CATALOGUE: { readonly [Tag in RunEventType]: Template<Tag> } = {
  SensorReadingRecorded: none,
  FirstSensorArrivalRecorded: none,
  TriggerExcluded: (event, run) =>
    info(
      'PIPELINE_EXCLUDED',
      event.source === 'cron'
        ? `cron trigger suppressed for ${run.pipelineId}: execution date ${run.period} excluded by calendar`
        : `sensor trigger suppressed for ${run.pipelineId}: execution date ${run.period} excluded by calendar`,
    ),
  AttemptDeferred: none,
  AttemptStarted: none,
  AttemptSuperseded: none,
  RunEvaluated: (event) =>
    event.passed ? info('VALIDATION_PASSED', 'all validation rules passed', {}, false) : null,
  RunNowEvaluated: (event, run) =>
    event.passed
      ? null
      : info(
          'RUN_NOT_READY',
          `run requested for ${run.pipelineId} but not ready: ${event.ruleResults
            .filter((result) => !result.passed)
            .map((result) => result.key)
            .join(', ')}`,
          { requestId: event.requestId },
          false,
        ),
  EvaluationSkipped: none,
  ValidationExhausted: () => red('VALIDATION_EXHAUSTED', 'evaluation window exhausted without passing'),
  JobStartRequested: none,
  TriggerFailed: none,
  TriggerRetriesExhausted: (event, run) =>
    red('RETRY_EXHAUSTED', `trigger retries exhausted for ${run.pipelineId}: ${event.lastError}`),
  JobStarted: (event) =>
    info('JOB_TRIGGERED', `triggered ${event.jobType} job`, { runId: event.runId }, false),
  JobStatusCheckRequested: none,
  JobSucceeded: (_event, run) => info('JOB_COMPLETED', `job completed for ${run.pipelineId}`),
  RunCompletedWithoutJob: (event, run) =>
    info('PIPELINE_READY', `${run.pipelineId} is ready (${event.reason})`, { reason: event.reason }),
  JobFailed: (event) =>
    event.observedBy === 'heartbeat'
      ? null
      : red('JOB_FAILED', `job failed: ${event.error}`, event.category ? { category: event.category } : {}),
  JobPollExhausted: () => red('JOB_POLL_EXHAUSTED', 'job poll window exhausted'),
  JobHeartbeatRecorded: none,
  JobHeartbeatMissed: (event, run) =>
    red(
      'JOB_HEARTBEAT_MISSED',
      `job heartbeat missed for ${run.pipelineId}: none within ${event.timeoutMs / 1000}s, attempt failed as TIMEOUT`,
      { runId: event.runId, heartbeats: event.heartbeats, lastSignAt: event.lastSignAt, category: 'TIMEOUT' },
    ),
  StaleJobResultRecorded: none,
  JobCancelRequested: none,
  TimerRequested: none,
  RunTimedOut: (event, run) =>
    red('SFN_TIMEOUT', `step function timed out for ${run.pipelineId}/${run.scheduleId}/${run.period}`, {
      source: 'watchdog',
      actionHint: 'run exceeded its lock TTL — check the job and the processor',
      ttlExpired: event.lockExpiredAt,
    }),
  RetryGranted: none,
  RetryBudgetExhausted: (event, run) =>
    red('RETRY_EXHAUSTED', `retry limit reached (${event.retries}/${event.budget}) for ${run.pipelineId}`),
  RetryBlockedByCalendar: (_event, run) =>
    info(
      'PIPELINE_EXCLUDED',
      `job failure retry skipped for ${run.pipelineId}: execution date ${run.period} excluded by calendar`,
    ),
  RerunAccepted: (event, run) =>
    info('RERUN_ACCEPTED', `rerun accepted for ${run.pipelineId} (reason: ${event.reason})`),
  RerunRejected: (event, run) =>
    info(
      'RERUN_REJECTED',
      `rerun rejected for ${run.pipelineId}: ${
        event.rule === 'circuit breaker'
          ? 'previous run succeeded and no sensor data has changed'
          : event.rule
      }`,
    ),
  RerunBlockedByCalendar: (_event, run) =>
    info(
      'PIPELINE_EXCLUDED',
      `rerun blocked for ${run.pipelineId}: execution date ${run.period} excluded by calendar`,
    ),
  RerunWithoutRun: (_event, run) => red('INFRA_FAILURE', `lock reset failed for rerun of ${run.pipelineId}`),
  LateDataArrived: (_event, run) =>
    info('LATE_DATA_ARRIVAL', `late data arrival for ${run.pipelineId}: sensor updated after job completion`),
  PostRunBaselineCaptured: (_event, run) =>
    info('POST_RUN_BASELINE_CAPTURED', `post-run baseline captured for ${run.pipelineId}`, {}, false),
  PostRunBaselineCleared: none,
  PostRunDriftDetected: (event, run) => {
    const detail = {
      previousCount: event.previous,
      currentCount: event.current,
      delta: event.delta,
      driftThreshold: event.driftThreshold,
      driftField: event.driftField,
      sensorKey: event.sensorKey,
      source: 'post-run-stream',
    }
    return event.inflight
      ? info(
          'POST_RUN_DRIFT_INFLIGHT',
          `inflight drift detected for ${run.pipelineId}: ${event.previous} → ${event.current} (informational)`,
          detail,
        )
      : info(
          'POST_RUN_DRIFT',
          `post-run drift detected for ${run.pipelineId}: ${event.previous} → ${event.current} records`,
          detail,
        )
  },
  DriftRerunRequested: (event, run) =>
    red(
      'DATA_DRIFT',
      `data drift for ${run.pipelineId}: ${event.previous} → ${event.current}, rerun requested`,
      {
        sensorKey: event.sensorKey,
      },
    ),
  DriftRerunBlockedByCalendar: (_event, run) =>
    info(
      'PIPELINE_EXCLUDED',
      `post-run drift rerun skipped for ${run.pipelineId}: execution date ${run.period} excluded by calendar`,
    ),
  PostRunValidated: (event, run) =>
    event.passed
      ? info('POST_RUN_PASSED', `post-run validation passed for ${run.pipelineId}`, {}, false)
      : info('POST_RUN_FAILED', `post-run validation failed for ${run.pipelineId}`),
  SlaScheduled: none,
  SlaWarningRaised: (event, run) => {
    const type = event.kind === 'relative' ? 'RELATIVE_SLA_WARNING' : 'SLA_WARNING'
    return {
      type,
      severity: slaSeverity('warning', event.critical),
      alert: true,
      message: `pipeline ${run.pipelineId}: ${type}`,
      detail: {
        status: event.status,
        source: event.source ?? 'schedule',
        actionHint:
          event.status === 'RUNNING'
            ? 'pipeline running — may complete before breach'
            : 'pipeline not started — check sensor data',
        breachAt: event.breachAt,
        ...(event.deadline !== undefined ? { deadline: event.deadline } : {}),
      },
    }
  },
  SlaBreachRaised: (event, run) => {
    const type = event.kind === 'relative' ? 'RELATIVE_SLA_BREACH' : 'SLA_BREACH'
    return {
      type,
      severity: 'critical',
      alert: true,
      message:
        event.kind === 'relative' && event.source === 'watchdog'
          ? `relative SLA breach for ${run.pipelineId} on ${run.period}`
          : `pipeline ${run.pipelineId}: ${type}`,
      detail: {
        status: event.status,
        source: event.source,
        actionHint:
          event.status === 'RUNNING'
            ? 'pipeline running — may complete before breach'
            : 'pipeline not started — investigate trigger',
        breachAt: event.breachAt,
        ...(event.deadline !== undefined ? { deadline: event.deadline } : {}),
      },
    }
  },
  SlaVerdictReached: (event, run) => {
    // L9: the breach alert already told this fact; the verdict stays in the log for the SLA record only.
    if (event.verdict === 'breached' && event.breachAnnounced === true) return null
    const type = event.verdict === 'met' ? 'SLA_MET' : 'SLA_BREACH'
    return {
      type,
      severity: event.verdict === 'met' ? 'success' : 'critical',
      alert: true,
      message: `pipeline ${run.pipelineId}: ${type}`,
      detail: { breachAt: event.breachAt, kind: event.kind },
    }
  },
  ScheduleMissed: (event, run) =>
    red('SCHEDULE_MISSED', `missed schedule for ${run.pipelineId} on ${run.period}`, {
      source: 'watchdog',
      ...(event.cron !== undefined ? { cron: event.cron } : {}),
      actionHint: `${event.cron !== undefined ? `cron ${event.cron}` : 'schedule'} expected to fire — no trigger found`,
      expectedTime: event.expectedAt,
    }),
  InclusionDateMissed: (_event, run) =>
    info('IRREGULAR_SCHEDULE_MISSED', `missed inclusion schedule for ${run.pipelineId} on ${run.period}`, {
      source: 'watchdog',
      actionHint: `inclusion date ${run.period} expected to have a trigger — none found`,
    }),
  TriggerRecovered: (_event, run) =>
    info('TRIGGER_RECOVERED', `trigger recovered for ${run.pipelineId}/${run.scheduleId}/${run.period}`, {
      source: 'reconciliation',
      actionHint: 'watchdog recovered missed sensor trigger',
    }),
  TriggerWindowClosed: (event, run) =>
    info(
      'SENSOR_DEADLINE_EXPIRED',
      `trigger deadline expired for ${run.pipelineId}/${run.scheduleId}/${run.period}`,
      {
        source: 'watchdog',
        triggerDeadline: event.deadline,
        actionHint: 'auto-trigger window closed — use RERUN_REQUEST to restart',
      },
    ),
  PostRunSensorMissing: (event, run) =>
    info('POST_RUN_SENSOR_MISSING', `post-run sensor missing for ${run.pipelineId} on ${run.period}`, {
      source: 'watchdog',
      sensorTimeout: event.sensorTimeout,
      ruleKeys: event.ruleKeys.join(', '),
      actionHint: 'post-run sensor data has not arrived within the expected timeout',
    }),
  DryRunWouldTrigger: (event, run) =>
    info('DRY_RUN_WOULD_TRIGGER', `dry-run: would trigger ${run.pipelineId} at ${event.at}`, {
      triggeredAt: event.at,
      rulesEvaluated: event.rulesEvaluated,
    }),
  DryRunLateData: (event, run) =>
    info(
      'DRY_RUN_LATE_DATA',
      `dry-run: late data arrived ${Math.floor(event.lateByMs / 60_000)}m after trigger point for ${run.pipelineId}`,
      { triggeredAt: event.triggeredAt, lateByMs: event.lateByMs },
    ),
  DryRunSlaProjected: (event, run) => {
    const margin =
      event.marginSeconds === undefined ? undefined : Math.round(Math.abs(event.marginSeconds) / 60)
    const message =
      event.deadlineAt === undefined
        ? `dry-run: SLA projection for ${run.pipelineId} — estimated completion ${event.estimatedCompletion}`
        : event.status === 'breach'
          ? `dry-run: SLA projection for ${run.pipelineId} — would breach by ${margin}m`
          : `dry-run: SLA projection for ${run.pipelineId} — SLA met with ${margin}m margin`
    return info('DRY_RUN_SLA_PROJECTION', message, {
      triggeredAt: event.triggeredAt,
      estimatedCompletion: event.estimatedCompletion,
      expectedDuration: event.expectedDuration,
      status: event.status,
      ...(event.deadlineAt !== undefined
        ? { deadline: event.deadlineAt, marginSeconds: event.marginSeconds }
        : {}),
    })
  },
  DryRunCompleted: (event, run) =>
    info('DRY_RUN_COMPLETED', `dry-run: observation complete for ${run.pipelineId}/${run.period}`, {
      triggeredAt: event.triggeredAt,
      slaStatus: event.slaStatus,
      ...(event.estimatedCompletion !== undefined ? { estimatedCompletion: event.estimatedCompletion } : {}),
      ...(event.deadlineAt !== undefined ? { deadline: event.deadlineAt } : {}),
    }),
  DryRunDriftDetected: (event, run) =>
    info(
      'DRY_RUN_DRIFT',
      `dry-run: drift detected for ${run.pipelineId}: ${event.previous} → ${event.current} — would re-run`,
      {
        previousCount: event.previous,
        currentCount: event.current,
        delta: event.delta,
        driftThreshold: event.driftThreshold,
        driftField: event.driftField,
        sensorKey: event.sensorKey,
      },
    ),
  DryRunWouldRerun: (event, run) =>
    info('DRY_RUN_WOULD_RERUN', `dry-run: would rerun ${run.pipelineId} (reason: ${event.reason})`, {
      reason: event.reason,
      circuitBreaker: event.circuitBreaker,
      rerunCount: event.used,
      budget: event.budget,
    }),
  DryRunRerunRejected: (event, run) =>
    info(
      'DRY_RUN_RERUN_REJECTED',
      event.rule === 'excluded by calendar'
        ? `dry-run: rerun rejected for ${run.pipelineId}: execution date ${run.period} excluded by calendar`
        : event.rule === 'limit exceeded'
          ? `dry-run: rerun rejected for ${run.pipelineId}: limit exceeded (${event.used}/${event.budget})`
          : `dry-run: rerun rejected for ${run.pipelineId}: previous run succeeded and no sensor data has changed`,
      {
        reason: event.rule,
        ...(event.rule === 'limit exceeded' ? { rerunCount: event.used, budget: event.budget } : {}),
        ...(event.rule === 'circuit breaker' ? { circuitBreaker: 'rejected' } : {}),
      },
    ),
  DryRunWouldRetry: (event, run) =>
    info(
      'DRY_RUN_WOULD_RETRY',
      `dry-run: would retry ${run.pipelineId} (${event.retries}/${event.maxRetries})`,
      {
        retries: event.retries,
        maxRetries: event.maxRetries,
      },
    ),
  DryRunRetryExhausted: (event, run) =>
    info(
      'DRY_RUN_RETRY_EXHAUSTED',
      event.reason === 'excluded by calendar'
        ? `dry-run: retry skipped for ${run.pipelineId}: execution date ${run.period} excluded by calendar`
        : `dry-run: retry limit reached (${event.retries}/${event.maxRetries}) for ${run.pipelineId}`,
      {
        retries: event.retries,
        maxRetries: event.maxRetries,
        ...(event.reason === 'excluded by calendar' ? { reason: event.reason } : {}),
      },
    ),
}

/**
 * The public event a run event publishes, or null for internal facts and intents. One domain event
 * publishes at most one public event, so nothing is announced twice for one fact (L9).
 */
export const publicEventOf = (event: RunEvent, run: RunKey): PublicEvent | null =>
  (CATALOGUE[event._tag] as Template<typeof event._tag>)(event as never, run)

/** Every public event type the run decider can publish. */
export const PUBLIC_RUN_EVENT_TYPES: ReadonlyArray<string> = [
  'PIPELINE_EXCLUDED',
  'VALIDATION_PASSED',
  'VALIDATION_EXHAUSTED',
  'RETRY_EXHAUSTED',
  'JOB_TRIGGERED',
  'JOB_COMPLETED',
  'PIPELINE_READY',
  'JOB_FAILED',
  'JOB_POLL_EXHAUSTED',
  'SFN_TIMEOUT',
  'RERUN_ACCEPTED',
  'RERUN_REJECTED',
  'INFRA_FAILURE',
  'LATE_DATA_ARRIVAL',
  'POST_RUN_BASELINE_CAPTURED',
  'POST_RUN_DRIFT',
  'POST_RUN_DRIFT_INFLIGHT',
  'DATA_DRIFT',
  'POST_RUN_PASSED',
  'POST_RUN_FAILED',
  'SLA_WARNING',
  'SLA_BREACH',
  'SLA_MET',
  'RELATIVE_SLA_WARNING',
  'RELATIVE_SLA_BREACH',
  'SCHEDULE_MISSED',
  'IRREGULAR_SCHEDULE_MISSED',
  'TRIGGER_RECOVERED',
  'SENSOR_DEADLINE_EXPIRED',
  'POST_RUN_SENSOR_MISSING',
  'DRY_RUN_WOULD_TRIGGER',
  'DRY_RUN_LATE_DATA',
  'DRY_RUN_SLA_PROJECTION',
  'DRY_RUN_COMPLETED',
  'DRY_RUN_DRIFT',
  'DRY_RUN_WOULD_RERUN',
  'DRY_RUN_RERUN_REJECTED',
  'DRY_RUN_WOULD_RETRY',
  'DRY_RUN_RETRY_EXHAUSTED',
]
