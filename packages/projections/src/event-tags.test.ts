import type { InterlockEvent } from '@interlock/domain'
import type { RecordedEvent } from '@interlock/eventstore'
import { describe, expect, it } from 'vitest'
import { isPipelineEvent, isRunEvent } from './event-tags.ts'

const recorded = (streamId: string, type: string, tags?: Record<string, string>) =>
  ({
    streamId,
    type,
    streamVersion: 1,
    globalPosition: 1n,
    transactionId: 1n,
    schemaVersion: 1,
    metadata: tags === undefined ? {} : { tags },
    recordedAt: new Date(0),
    get event(): InterlockEvent {
      throw new Error('the payload is not needed to classify an event')
    },
  }) as RecordedEvent<InterlockEvent>

describe('event classification', () => {
  it('treats only events of run streams as run events', () => {
    const runKey = { pipelineId: 'orders', scheduleId: 'default', period: '2026-01-05' }
    expect(isRunEvent(recorded('run-orders-default-2026-01-05', 'JobStarted', runKey))).toBe(true)
    expect(isRunEvent(recorded('job-claim-orders/default/2026-01-05/1-1', 'JobStartClaimed'))).toBe(false)
    expect(isRunEvent(recorded('calendar-us-holidays', 'CalendarRegistered'))).toBe(false)
    expect(isRunEvent(recorded('pipeline-orders', 'PipelinePaused', { pipelineId: 'orders' }))).toBe(false)
  })

  it('recognises pipeline events by their stored type, without decoding them', () => {
    expect(isPipelineEvent(recorded('pipeline-orders', 'PipelineConfigRegistered'))).toBe(true)
    expect(isPipelineEvent(recorded('calendar-us-holidays', 'CalendarRegistered'))).toBe(false)
  })
})
