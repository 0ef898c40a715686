import { Schema } from 'effect'
import { CalendarEvent } from './calendar-stream/events.ts'
import { JobClaimEvent } from './job-claim/events.ts'
import { PipelineEvent } from './pipeline/events.ts'
import { RunEvent } from './run/events.ts'
import { ShadowRunEvent } from './shadow/shadow-run.ts'

/**
 * Every event Interlock writes to its log, of every stream type: what the event store's codec is built
 * from (`makeEventCodec(InterlockEvent)`). Add a stream's union here when it gets one.
 */
export const InterlockEvent = Schema.Union(
  RunEvent,
  PipelineEvent,
  CalendarEvent,
  JobClaimEvent,
  ShadowRunEvent,
).annotations({
  identifier: 'InterlockEvent',
})
export type InterlockEvent = typeof InterlockEvent.Type

/**
 * The keys of `EventMetadata.tags` that name what an event is about, written by the command bus on every
 * event, because stream ids cannot be parsed back (pipeline and schedule ids may contain hyphens).
 */
export const EVENT_TAGS = { pipelineId: 'pipelineId', scheduleId: 'scheduleId', period: 'period' } as const
