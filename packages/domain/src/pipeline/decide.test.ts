import { describe, expect, it } from 'vitest'
import { config } from '../run/testing/run-builders.ts'
import { deciderSpecification } from '../shared/decider-specification.ts'
import type { PipelineCommand } from './commands.ts'
import { decidePipeline, type PipelineContext, type PipelineRejection } from './decide.ts'
import type { PipelineEvent } from './events.ts'
import { evolvePipeline, initialPipelineState, type PipelineState } from './state.ts'

const given = deciderSpecification<
  PipelineCommand,
  PipelineState,
  PipelineEvent,
  PipelineRejection,
  PipelineContext
>({
  initialState: initialPipelineState,
  decide: decidePipeline,
  evolve: evolvePipeline,
})
const ctx: PipelineContext = { pipelineId: 'gold-revenue', now: Date.parse('2026-03-01T00:00:00Z') }
const register = (overrides = {}): PipelineCommand => ({
  _tag: 'RegisterPipelineConfig',
  config: config(overrides),
})

describe('pipeline stream', () => {
  it('registers version 1, then records a changed config as version 2 and ignores the same content', () => {
    const registered = given([])
      .when(register(), ctx)
      .thenEvents((events) => expect(events[0]?._tag).toBe('PipelineConfigRegistered'))
    given(registered).when(register(), ctx).thenNothing()
    given(registered)
      .when(register({ dryRun: true }), ctx)
      .thenEvents((events) => expect(events[0]).toMatchObject({ _tag: 'PipelineConfigChanged', version: 2 }))
  })

  it('refuses a config for another pipeline, with a message saying where to send it', () => {
    const rejection = given([])
      .when(register({ pipeline: { id: 'other' } }), ctx)
      .thenRejects('PipelineIdMismatch')
    expect(rejection.message).toBe(
      'The config names pipeline other but was sent to pipeline gold-revenue; send it to pipeline-other.',
    )
  })

  it('pauses and resumes once each; an unregistered pipeline cannot be paused', () => {
    const registered = given([])
      .when(register(), ctx)
      .thenEvents(() => undefined)
    const paused = given(registered)
      .when({ _tag: 'PausePipeline' }, ctx)
      .thenEvents((events) => expect(events[0]?._tag).toBe('PipelinePaused'))
    given([...registered, ...paused])
      .when({ _tag: 'PausePipeline' }, ctx)
      .thenNothing()
    given([...registered, ...paused])
      .when({ _tag: 'ResumePipeline' }, ctx)
      .thenState((state) => {
        expect(state.status === 'Registered' && state.paused).toBe(false)
      })
    given([]).when({ _tag: 'PausePipeline' }, ctx).thenRejects('PipelineNotRegistered')
  })
})
