export { allProjections } from './all-projections.ts'
export { auditEventsProjection } from './audit-events-projection.ts'
export { combineProjections } from './combined-projection.ts'
export { pipelinesProjection } from './pipelines-projection.ts'
export { type Projection, subscriptionName } from './projection.ts'
export { ProjectionRunner, type RunnerOptions, rebuildProjection } from './projection-runner.ts'
export { listAuditEvents } from './queries/audit-events.ts'
export { listDeadLetters } from './queries/dead-letters.ts'
export {
  DEFAULT_PAGE_SIZE,
  InvalidPageRequest,
  MAX_PAGE_SIZE,
  type Page,
} from './queries/page.ts'
export { getPipeline, listPipelines } from './queries/pipelines.ts'
export { listReruns } from './queries/reruns.ts'
export { getRun, listRuns, type RunWithAttempts } from './queries/runs.ts'
export { latestSensors } from './queries/sensors.ts'
export { rerunsProjection } from './reruns-projection.ts'
export { runsProjection } from './runs-projection.ts'
export { sensorsLatestProjection } from './sensors-latest-projection.ts'
export type { AuditEventFilter, AuditEventView } from './sql/audit-events.ts'
export {
  type DeadLetter,
  type DeadLetterFailure,
  getDeadLetter,
  markDeadLetterRedriven,
  recordDeadLetter,
} from './sql/dead-letters.ts'
export type { PipelineSummary, PipelineView } from './sql/pipelines.ts'
export { type RerunView, selectRunReruns } from './sql/reruns.ts'
export type {
  AttemptStatus,
  AttemptView,
  FailureReason,
  PostRunStatus,
  RunStatus,
  RunView,
  SlaClockView,
  SlaStatus,
} from './sql/runs.ts'
export type { SensorReadingView } from './sql/sensors-latest.ts'
