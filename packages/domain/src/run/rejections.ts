import { Schema } from 'effect'

/** The pipeline is paused: only sensor readings and job outcomes are recorded until it is resumed. */
export class PipelineIsPaused extends Schema.TaggedError<PipelineIsPaused>()('PipelineIsPaused', {
  pipelineId: Schema.String,
  command: Schema.String,
}) {
  override get message(): string {
    return `Pipeline ${this.pipelineId} is paused, so ${this.command} was not acted on; resume the pipeline first.`
  }
}

/** The command names an attempt this run never started. */
export class AttemptNotFound extends Schema.TaggedError<AttemptNotFound>()('AttemptNotFound', {
  runStream: Schema.String,
  attemptId: Schema.String,
  attempts: Schema.Int,
}) {
  override get message(): string {
    return `${this.runStream} has no attempt ${this.attemptId} (it has started ${this.attempts}); check the attempt id the job or trigger reported.`
  }
}

/** A job outcome arrived before the trigger reported that the job started; the processor should retry it. */
export class JobNotStartedYet extends Schema.TaggedError<JobNotStartedYet>()('JobNotStartedYet', {
  attemptId: Schema.String,
  /** What the job sent: its outcome (the default) or a heartbeat. */
  report: Schema.optional(Schema.Literal('outcome', 'heartbeat')),
}) {
  override get message(): string {
    return this.report === 'heartbeat'
      ? `The job of attempt ${this.attemptId} sent a heartbeat before its start was recorded; send it again once the start is recorded.`
      : `The job of attempt ${this.attemptId} reported an outcome before its start was recorded; deliver the outcome again after RecordJobStarted.`
  }
}

/** The run names a schedule the pipeline config does not have (C14). */
export class UnknownSchedule extends Schema.TaggedError<UnknownSchedule>()('UnknownSchedule', {
  pipelineId: Schema.String,
  scheduleId: Schema.String,
  known: Schema.Array(Schema.String),
}) {
  override get message(): string {
    return `Pipeline ${this.pipelineId} has no schedule "${this.scheduleId}" (it has ${this.known.join(', ')}); route the command to one of those.`
  }
}

/**
 * `RunNow` on a period that already has a run: a live one (`status` Evaluating, Triggering, Polling) or one
 * that ended (Completed, Failed, ValidationExhausted). Nothing is recorded.
 */
export class RunAlreadyStarted extends Schema.TaggedError<RunAlreadyStarted>()('RunAlreadyStarted', {
  runStream: Schema.String,
  status: Schema.String,
  live: Schema.Boolean,
}) {
  override get message(): string {
    return this.live
      ? `${this.runStream} is already running (${this.status}); follow it instead of starting another.`
      : `${this.runStream} has already run (${this.status}); ask for a rerun to run the period again.`
  }
}

/** `RunNow` on a period the pipeline does not run: excluded by its calendar, or a dry-run pipeline. */
export class RunNotAllowed extends Schema.TaggedError<RunNotAllowed>()('RunNotAllowed', {
  runStream: Schema.String,
  reason: Schema.Literal('excluded', 'dry-run'),
}) {
  override get message(): string {
    return this.reason === 'excluded'
      ? `${this.runStream} is excluded by the pipeline's calendar, so it does not run; nothing was started.`
      : `${this.runStream} belongs to a dry-run pipeline, which never starts jobs; nothing was started.`
  }
}

/** A run decision was refused; the reason is in the tag and the message. */
export type RunRejection =
  | PipelineIsPaused
  | AttemptNotFound
  | JobNotStartedYet
  | UnknownSchedule
  | RunAlreadyStarted
  | RunNotAllowed
