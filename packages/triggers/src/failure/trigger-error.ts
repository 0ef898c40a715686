import { FailureCategory } from '@interlock/domain'
import { Schema } from 'effect'

/**
 * Every failure of a trigger (start, status or cancel), classified. `detail` is already safe to log:
 * response bodies are truncated and stripped of control characters and secret values are redacted
 * before an error is built.
 */
export class TriggerError extends Schema.TaggedError<TriggerError>()('TriggerError', {
  jobType: Schema.String,
  category: FailureCategory,
  detail: Schema.String,
}) {
  override get message(): string {
    return this.detail
  }
}

/** Builds a TriggerError; `detail` must already be log-safe. */
export const triggerError = (jobType: string, category: FailureCategory, detail: string): TriggerError =>
  new TriggerError({ jobType, category, detail })
