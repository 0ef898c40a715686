// Public API of this package: see README.md for what belongs here.
// Config, rules, durations, archetypes (issue 3)
export { Archetype, applyArchetype, mergeArchetypeRules } from './archetype/archetype.ts'
export { parseArchetype } from './archetype/parse-archetype.ts'
export { STARTER_ARCHETYPES } from './archetype/starter-archetypes.ts'
// Backtest (issue 11)
export { type BacktestInput, backtest } from './backtest/backtest.ts'
export { periodDecisionOf, ruleLabel } from './backtest/period-decision.ts'
export {
  type RecordedRun,
  type RecordedRunEvent,
  recordedInputsOf,
  type ScheduledCommand,
} from './backtest/recorded-history.ts'
export { recordedWorld } from './backtest/recorded-world.ts'
export { type ReplayConfig, type ReplayedRun, type ReplayWorld, replayRun } from './backtest/replay-run.ts'
export {
  BacktestReport,
  BacktestSummary,
  DecisionField,
  PeriodComparison,
  PeriodDecision,
  PeriodOutcome,
} from './backtest/report.ts'
export { Calendar, Weekday, weekdayOf } from './calendar/calendar.ts'
export { parseCalendar } from './calendar/parse-calendar.ts'
export { type PeriodExclusion, periodExclusion } from './calendar/period-exclusion.ts'
// Calendar stream (issue 4)
export { CalendarCommand, RegisterCalendar, RemoveCalendar } from './calendar-stream/commands.ts'
export {
  type CalendarContext,
  CalendarNameMismatch,
  type CalendarRejection,
  calendarHash,
  decideCalendar,
} from './calendar-stream/decide.ts'
export {
  CalendarChanged,
  CalendarEvent,
  CalendarRegistered,
  CalendarRemoved,
} from './calendar-stream/events.ts'
export { type CalendarState, evolveCalendar, initialCalendarState } from './calendar-stream/state.ts'
export { CalendarName } from './config/calendar-name.ts'
export {
  ClockDeadline,
  ClockTime,
  clockTimeParts,
  type DeadlineParts,
  deadlineParts,
} from './config/clock-time.ts'
export { ConfigIssue, configIssuesFromParseError, formatPath } from './config/config-issue.ts'
export { EvaluatorConfig } from './config/evaluator-config.ts'
export {
  AirflowJob,
  CommandJob,
  DatabricksJob,
  DEFAULT_JOB_POLL_WINDOW_SECONDS,
  DEFAULT_MAX_CODE_RETRIES,
  DEFAULT_MAX_DRIFT_RERUNS,
  DEFAULT_MAX_MANUAL_RERUNS,
  DEFAULT_MAX_RETRIES,
  EmrJob,
  EmrServerlessJob,
  GlueJob,
  HttpJob,
  JOB_CONFIG_SCHEMAS,
  JobConfig,
  JobType,
  jobConfigKeys,
  LambdaJob,
  NoJob,
  PipelineJob,
  StepFunctionJob,
  startsJob,
} from './config/job-config.ts'
export {
  AirflowJobConfig,
  CommandJobConfig,
  DatabricksJobConfig,
  EMR_COMMAND_RUNNER_JAR,
  EMR_DEFAULT_STEP_NAME,
  EmrJobConfig,
  EmrServerlessJobConfig,
  GlueJobConfig,
  HttpJobConfig,
  LambdaJobConfig,
  StepFunctionJobConfig,
} from './config/job-type-config.ts'
export { nearestKey } from './config/nearest-key.ts'
export {
  encodePipelineConfig,
  type ParsePipelineConfigOptions,
  parsePipelineConfig,
} from './config/parse-pipeline-config.ts'
export {
  ArchetypeName,
  PipelineConfig,
  type PipelineConfigJson,
  PipelineInfo,
} from './config/pipeline-config.ts'
export { PIPELINE_ID_PATTERN, PipelineId } from './config/pipeline-id.ts'
export {
  DEFAULT_SCHEDULE_NAME,
  pipelineSchedules,
  type ResolvedSchedule,
} from './config/pipeline-schedules.ts'
export { DEFAULT_DRIFT_FIELD, DEFAULT_SENSOR_TIMEOUT, PostRunConfig } from './config/post-run-config.ts'
export {
  DEFAULT_EVALUATION_INTERVAL,
  DEFAULT_EVALUATION_WINDOW,
  EvaluationConfig,
  ExcludeConfig,
  IncludeConfig,
  NamedScheduleConfig,
  ScheduleConfig,
  ScheduleName,
} from './config/schedule-config.ts'
export {
  SEED_MULTI_SCHEDULE_YAML,
  SEED_PROJECT_YAML,
  SEED_TRIGGERS_YAML,
  SEED_WEEKDAY_ONLY_YAML,
} from './config/seed-001-samples.ts'
export { SEED_PIPELINE_KEYS, unknownKeyIssues } from './config/seed-layout.ts'
export { SensorKey } from './config/sensor-key.ts'
export { SlaConfig } from './config/sla-config.ts'
export { TimeZone, UTC } from './config/time-zone.ts'
export { ValidationConfig, ValidationMode, ValidationModeFromString } from './config/validation-config.ts'
export {
  NumericValue,
  RuleCheck,
  type RuleLike,
  TriggerCondition,
  ValidationRule,
} from './config/validation-rule.ts'
export { CronExpression, compileCron } from './cron/cron-expression.ts'
export { cronGranularity, nextCronFire, periodOfCronFire, previousCronFire } from './cron/cron-schedule.ts'
export {
  Duration,
  DurationFromString,
  durationFromMillis,
  durationNanos,
  formatDuration,
  InvalidDuration,
  parseDuration,
} from './duration/duration.ts'
export { formatGoDuration, parseGoDuration } from './duration/go-duration.ts'
export { type ExplainStep, explainRule, explainRun, formatExplanation } from './explain/explain-run.ts'
export { EVENT_TAGS, InterlockEvent } from './interlock-event.ts'
export { JobClaimEvent, JobStartClaimed, jobClaimStreamId } from './job-claim/events.ts'
export { pipelineConfigJsonSchema } from './json-schema/pipeline-config-json-schema.ts'
export { CalendarDate, isCalendarDate } from './period/calendar-date.ts'
export {
  compactPeriod,
  ExecutionPeriod,
  InvalidSensorPeriod,
  parseExecutionPeriod,
  periodDate,
  periodHour,
  resolveExecutionPeriod,
  todayIn,
} from './period/execution-period.ts'
export {
  matchSensorKey,
  type SensorKeyParts,
  sensorsForPeriod,
  splitSensorKey,
} from './period/sensors-for-period.ts'
export { PipelineCommand } from './pipeline/commands.ts'
export {
  configHash,
  decidePipeline,
  NoShadowConfig,
  type PipelineContext,
  PipelineIdMismatch,
  PipelineNotRegistered,
  type PipelineRejection,
} from './pipeline/decide.ts'
export { PipelineEvent } from './pipeline/events.ts'
export {
  evolvePipeline,
  initialPipelineState,
  type PipelineState,
  type ShadowConfig,
} from './pipeline/state.ts'
export {
  evaluateRule,
  evaluateRules,
  parseDecimal,
  parseRfc3339,
  parseTimestamp,
  RuleResult,
  RuleSetResult,
  type SensorFields,
  type SensorsByKey,
  showValue,
  toNumber,
  typedEquals,
} from './rules/index.ts'
export { RunCommand, TimerCommand } from './run/commands.ts'
export type { RunContext } from './run/context.ts'
export { decide as decideRun } from './run/decide.ts'
export { timerIdFor } from './run/events/intent-events.ts'
export { RUN_EVENT_SCHEMA_VERSION, RunEvent, type RunEventOf, type RunEventType } from './run/events.ts'
export {
  PUBLIC_RUN_EVENT_TYPES,
  type PublicEvent,
  publicEventOf,
  type Severity,
} from './run/public-events.ts'
export {
  AttemptNotFound,
  JobNotStartedYet,
  PipelineIsPaused,
  RunAlreadyStarted,
  RunNotAllowed,
  type RunRejection,
  UnknownSchedule,
} from './run/rejections.ts'
export { evolve as evolveRun, initialRunState, type RunLifecycle, type RunState } from './run/state.ts'
export { type ShadowPeriod, ShadowPeriodDiff, shadowDiff } from './shadow/shadow-diff.ts'
export {
  decideShadowRun,
  evolveShadowRun,
  ShadowObserved,
  ShadowRunEvent,
  shadowPublicType,
  shadowRunStreamId,
} from './shadow/shadow-run.ts'
export { AttemptId, attemptIdFor } from './shared/attempt-id.ts'
export { contentHash } from './shared/content-hash.ts'
export { accept, type Decision, nothing, reject } from './shared/decision.ts'
export { FailureCategory } from './shared/failure-category.ts'
export { epochMillisOf, Instant, instantFromText, instantOf } from './shared/instant.ts'
export {
  calendarStreamId,
  DEFAULT_SCHEDULE,
  pipelineStreamId,
  RunKey,
  runStreamId,
} from './shared/run-key.ts'
export { holdsUnstorableText, mayHoldUnstorableText, unstorableText } from './shared/unstorable-text.ts'
export {
  type AbsoluteSlaInput,
  absoluteSlaDeadline,
  HourlyDeadlineNeedsHourlyPeriod,
  relativeSlaDeadline,
  type SlaDeadlines,
  type SlaInstants,
  slaDeadlines,
} from './sla/sla-deadline.ts'
export { addDays, localDate, wallTimeToInstant } from './sla/wall-time.ts'
