import type { InterlockEvent, PipelineInfo, PublicEvent, RunKey } from '@interlock/domain'
import type { RecordedEvent } from '@interlock/eventstore'
import { Schema } from 'effect'

/** How loud an alert is (the domain's `Severity`): picks the emoji and feeds routing. */
export const AlertSeverity = Schema.Literal('critical', 'warning', 'success', 'info').annotations({
  identifier: 'AlertSeverity',
})
export type AlertSeverity = typeof AlertSeverity.Type

/**
 * One alert, as every sink receives it and as a dead letter keeps it: the public event (lifecycle §9.2)
 * of one run event, with the run it is about and the pipeline's owner and description (C10).
 */
export const Alert = Schema.Struct({
  /** The global position of the event that raised it: unique, and the key that dedupes a redelivery. */
  id: Schema.String.pipe(Schema.pattern(/^\d+$/)),
  type: Schema.String,
  severity: AlertSeverity,
  pipelineId: Schema.String,
  scheduleId: Schema.String,
  period: Schema.String,
  message: Schema.String,
  detail: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  owner: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  occurredAt: Schema.String,
}).annotations({ identifier: 'Alert' })
export type Alert = typeof Alert.Type

/** Builds the alert of a recorded run event whose public event alerts (`published.alert`). */
export function alertOf(
  recorded: RecordedEvent<InterlockEvent>,
  run: RunKey,
  published: PublicEvent,
  pipeline: PipelineInfo | undefined,
): Alert {
  const event = recorded.event
  const occurredAt =
    'at' in event && typeof event.at === 'string' ? event.at : recorded.recordedAt.toISOString()
  return {
    id: recorded.globalPosition.toString(),
    type: published.type,
    severity: published.severity,
    pipelineId: run.pipelineId,
    scheduleId: run.scheduleId,
    period: run.period,
    message: published.message,
    detail: published.detail,
    ...(pipeline?.owner === undefined ? {} : { owner: pipeline.owner }),
    ...(pipeline?.description === undefined ? {} : { description: pipeline.description }),
    occurredAt,
  }
}
