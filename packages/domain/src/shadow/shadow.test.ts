import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import type { PipelineCommand } from '../pipeline/commands.ts'
import { decidePipeline, type PipelineContext, type PipelineRejection } from '../pipeline/decide.ts'
import type { PipelineEvent } from '../pipeline/events.ts'
import { evolvePipeline, initialPipelineState, type PipelineState } from '../pipeline/state.ts'
import { initialRunState } from '../run/state.ts'
import { config, context, RUN } from '../run/testing/run-builders.ts'
import { deciderSpecification } from '../shared/decider-specification.ts'
import { decideShadowRun, evolveShadowRun, shadowPublicType, shadowRunStreamId } from './shadow-run.ts'

const given = deciderSpecification<
  PipelineCommand,
  PipelineState,
  PipelineEvent,
  PipelineRejection,
  PipelineContext
>({ initialState: initialPipelineState, decide: decidePipeline, evolve: evolvePipeline })
const ctx: PipelineContext = { pipelineId: 'gold-revenue', now: Date.parse('2026-03-01T00:00:00Z') }
const live = config()
const stricter = config({ dryRun: false, pipeline: { id: 'gold-revenue', owner: 'finance' } })
const registered = given([])
  .when({ _tag: 'RegisterPipelineConfig', config: live }, ctx)
  .thenEvents(() => undefined)

describe('pipeline stream, shadow config', () => {
  it('registers a shadow once per content and keeps the live config', () => {
    const shadowed = given(registered)
      .when({ _tag: 'RegisterShadowConfig', config: stricter }, ctx)
      .thenEvents((events) => expect(events.map((event) => event._tag)).toEqual(['ShadowConfigRegistered']))
    given([...registered, ...shadowed])
      .when({ _tag: 'RegisterShadowConfig', config: stricter }, ctx)
      .thenNothing()
    given(registered)
      .when({ _tag: 'RegisterShadowConfig', config: stricter }, ctx)
      .thenState((state) => {
        expect(state).toMatchObject({ status: 'Registered', version: 1, config: live })
        expect(state.status === 'Registered' && state.shadow?.config).toEqual(stricter)
      })
  })

  it('promotes the shadow to the next live version and drops it', () => {
    const shadowed = given(registered)
      .when({ _tag: 'RegisterShadowConfig', config: stricter }, ctx)
      .thenEvents(() => undefined)
    given([...registered, ...shadowed])
      .when({ _tag: 'PromoteShadowConfig' }, ctx)
      .thenEvents((events) =>
        expect(events).toMatchObject([
          { _tag: 'ShadowConfigPromoted', version: 2 },
          { _tag: 'PipelineConfigChanged', version: 2, config: stricter },
        ]),
      )
    given([...registered, ...shadowed])
      .when({ _tag: 'PromoteShadowConfig' }, ctx)
      .thenState((state) => expect(state).toMatchObject({ version: 2, config: stricter, shadow: null }))
  })

  it('refuses to promote without a shadow, naming the route that registers one; discarding none is nothing', () => {
    const rejection = given(registered)
      .when({ _tag: 'PromoteShadowConfig' }, ctx)
      .thenRejects('NoShadowConfig')
    expect(rejection.message).toBe(
      'Pipeline gold-revenue has no shadow config to promote; register one with PUT /api/pipelines/gold-revenue/shadow first.',
    )
    given(registered).when({ _tag: 'DiscardShadowConfig' }, ctx).thenNothing()
  })
})

describe('shadow run stream', () => {
  it('decides as a dry run and wraps every observation, so no job is ever asked for', () => {
    const decision = decideShadowRun(
      { _tag: 'RecordSensorReading', key: 'upstream-complete', data: { status: 'ready', date: RUN.period } },
      initialRunState,
      context('2026-03-01T06:00:00Z'),
    )
    const events = Either.getOrThrow(decision)
    expect(events.map((event) => event.observation._tag)).toEqual([
      'SensorReadingRecorded',
      'DryRunWouldTrigger',
      'DryRunCompleted',
    ])
    expect(events.map((event) => shadowPublicType(event.observation, RUN))).toEqual([
      null,
      'SHADOW_WOULD_TRIGGER',
      'SHADOW_COMPLETED',
    ])
    expect(events.reduce(evolveShadowRun, initialRunState).dryRunTriggeredAt).toBe('2026-03-01T06:00:00.000Z')
    expect(shadowRunStreamId(RUN)).toBe('shadowrun-gold-revenue-default-2026-03-01')
  })
})
