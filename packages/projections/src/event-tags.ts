import {
  EVENT_TAGS,
  type InterlockEvent,
  type PipelineEvent,
  type RunEvent,
  type RunKey,
} from '@interlock/domain'
import type { RecordedEvent } from '@interlock/eventstore'

const RUN_STREAM_PREFIX = 'run-'

/** The stored types of pipeline stream events. */
const PIPELINE_EVENT_TYPES: ReadonlySet<string> = new Set(
  Object.keys({
    PipelineConfigRegistered: true,
    PipelineConfigChanged: true,
    PipelineConfigRemoved: true,
    PipelinePaused: true,
    PipelineResumed: true,
    ShadowConfigRegistered: true,
    ShadowConfigDiscarded: true,
    ShadowConfigPromoted: true,
  } satisfies Record<PipelineEvent['_tag'], true>),
)

/** Tells pipeline events from run events by the stored type, before paying for the payload's decode. */
export const isPipelineEventType = (type: string): boolean => PIPELINE_EVENT_TYPES.has(type)

export type RecordedRunEvent = RecordedEvent<InterlockEvent> & { readonly event: RunEvent }
export type RecordedPipelineEvent = RecordedEvent<InterlockEvent> & { readonly event: PipelineEvent }

/**
 * Run events live in run streams (`run-<pipelineId>-<scheduleId>-<period>`); the log also holds pipeline,
 * calendar and job-claim streams, whose events are not run events and carry no run key.
 */
export const isRunEvent = (recorded: RecordedEvent<InterlockEvent>): recorded is RecordedRunEvent =>
  recorded.streamId.startsWith(RUN_STREAM_PREFIX)

export const isPipelineEvent = (recorded: RecordedEvent<InterlockEvent>): recorded is RecordedPipelineEvent =>
  isPipelineEventType(recorded.type)

/**
 * The run an event of a run stream is about, from its metadata tags (stream ids cannot be parsed back).
 * An untagged run event was not appended through the command bus: that is a bug of its writer, and the
 * projection stops on it rather than file the event under a guessed run.
 */
export function runKeyOf(recorded: RecordedEvent<InterlockEvent>): RunKey {
  const tags = recorded.metadata.tags ?? {}
  const pipelineId = tags[EVENT_TAGS.pipelineId]
  const scheduleId = tags[EVENT_TAGS.scheduleId]
  const period = tags[EVENT_TAGS.period]
  if (pipelineId === undefined || scheduleId === undefined || period === undefined) {
    throw new Error(
      `event ${recorded.type} at ${recorded.streamId} version ${recorded.streamVersion} (position ` +
        `${recorded.globalPosition}) has metadata.tags ${JSON.stringify(recorded.metadata.tags ?? null)}, but ` +
        `a run event needs tags ${EVENT_TAGS.pipelineId}, ${EVENT_TAGS.scheduleId} and ${EVENT_TAGS.period}; ` +
        'append run events through the command bus, which tags them',
    )
  }
  return { pipelineId, scheduleId, period }
}

/** The pipeline an event of a pipeline stream is about, from its metadata tags. */
export function pipelineIdOf(recorded: RecordedEvent<InterlockEvent>): string {
  const pipelineId = recorded.metadata.tags?.[EVENT_TAGS.pipelineId]
  if (pipelineId === undefined) {
    throw new Error(
      `event ${recorded.type} at ${recorded.streamId} version ${recorded.streamVersion} (position ` +
        `${recorded.globalPosition}) has no metadata.tags.${EVENT_TAGS.pipelineId}; append pipeline events ` +
        'through the command bus, which tags them',
    )
  }
  return pipelineId
}
