import { Schema } from 'effect'
import { encodePipelineConfig } from '../config/parse-pipeline-config.ts'
import { contentHash } from '../shared/content-hash.ts'
import { accept, type Decision, nothing, reject, unreachable } from '../shared/decision.ts'
import { instantOf } from '../shared/instant.ts'
import type { PipelineCommand } from './commands.ts'
import type { PipelineEvent } from './events.ts'
import type { PipelineState } from './state.ts'

/** The pipeline has no registered config. */
export class PipelineNotRegistered extends Schema.TaggedError<PipelineNotRegistered>()(
  'PipelineNotRegistered',
  {
    pipelineId: Schema.String,
    command: Schema.String,
  },
) {
  override get message(): string {
    return `Pipeline ${this.pipelineId} has no registered config, so ${this.command} cannot apply; register its config first.`
  }
}

/** The config belongs to another pipeline than the stream's. */
export class PipelineIdMismatch extends Schema.TaggedError<PipelineIdMismatch>()('PipelineIdMismatch', {
  streamPipelineId: Schema.String,
  configPipelineId: Schema.String,
}) {
  override get message(): string {
    return `The config names pipeline ${this.configPipelineId} but was sent to pipeline ${this.streamPipelineId}; send it to pipeline-${this.configPipelineId}.`
  }
}

/** Promote asked of a pipeline that has no shadow config. */
export class NoShadowConfig extends Schema.TaggedError<NoShadowConfig>()('NoShadowConfig', {
  pipelineId: Schema.String,
}) {
  override get message(): string {
    return `Pipeline ${this.pipelineId} has no shadow config to promote; register one with PUT /api/pipelines/${this.pipelineId}/shadow first.`
  }
}

export type PipelineRejection = PipelineNotRegistered | PipelineIdMismatch | NoShadowConfig

/** Context of a pipeline decision: the stream's pipeline and `now` in epoch milliseconds. */
export interface PipelineContext {
  readonly pipelineId: string
  readonly now: number
}

/** The content hash of a config (canonical JSON, FNV-1a 64-bit): a new version only when it changes. */
export const configHash = contentHash

/** Decides a pipeline command: config versions (hash-deduplicated), removal, pause and resume. */
export const decidePipeline = (
  command: PipelineCommand,
  state: PipelineState,
  context: PipelineContext,
): Decision<PipelineEvent, PipelineRejection> => {
  const at = instantOf(context.now)
  switch (command._tag) {
    case 'RegisterPipelineConfig': {
      if (command.config.pipeline.id !== context.pipelineId) {
        return reject(
          new PipelineIdMismatch({
            streamPipelineId: context.pipelineId,
            configPipelineId: command.config.pipeline.id,
          }),
        )
      }
      const hash = configHash(encodePipelineConfig(command.config))
      const version = state.version + 1
      if (state.status !== 'Registered') {
        return accept([{ _tag: 'PipelineConfigRegistered', at, version, hash, config: command.config }])
      }
      if (state.hash === hash) return nothing
      return accept([
        {
          _tag: 'PipelineConfigChanged',
          at,
          version,
          hash,
          previousHash: state.hash,
          config: command.config,
        },
      ])
    }
    case 'RemovePipeline':
      if (state.status !== 'Registered') return nothing
      return accept([{ _tag: 'PipelineConfigRemoved', at, version: state.version + 1 }])
    case 'PausePipeline':
      if (state.status !== 'Registered')
        return reject(new PipelineNotRegistered({ pipelineId: context.pipelineId, command: 'PausePipeline' }))
      return state.paused
        ? nothing
        : accept([
            {
              _tag: 'PipelinePaused',
              at,
              ...(command.reason !== undefined ? { reason: command.reason } : {}),
            },
          ])
    case 'ResumePipeline':
      if (state.status !== 'Registered')
        return reject(
          new PipelineNotRegistered({ pipelineId: context.pipelineId, command: 'ResumePipeline' }),
        )
      return state.paused ? accept([{ _tag: 'PipelineResumed', at }]) : nothing
    case 'RegisterShadowConfig': {
      if (state.status !== 'Registered')
        return reject(
          new PipelineNotRegistered({ pipelineId: context.pipelineId, command: 'RegisterShadowConfig' }),
        )
      if (command.config.pipeline.id !== context.pipelineId) {
        return reject(
          new PipelineIdMismatch({
            streamPipelineId: context.pipelineId,
            configPipelineId: command.config.pipeline.id,
          }),
        )
      }
      const hash = configHash(encodePipelineConfig(command.config))
      if (state.shadow?.hash === hash) return nothing
      return accept([{ _tag: 'ShadowConfigRegistered', at, hash, config: command.config }])
    }
    case 'PromoteShadowConfig': {
      if (state.status !== 'Registered' || state.shadow === null)
        return reject(new NoShadowConfig({ pipelineId: context.pipelineId }))
      const shadow = state.shadow
      if (shadow.hash === state.hash)
        return accept([{ _tag: 'ShadowConfigPromoted', at, hash: shadow.hash, version: state.version }])
      const version = state.version + 1
      return accept([
        { _tag: 'ShadowConfigPromoted', at, hash: shadow.hash, version },
        {
          _tag: 'PipelineConfigChanged',
          at,
          version,
          hash: shadow.hash,
          previousHash: state.hash,
          config: shadow.config,
        },
      ])
    }
    case 'DiscardShadowConfig':
      if (state.status !== 'Registered' || state.shadow === null) return nothing
      return accept([{ _tag: 'ShadowConfigDiscarded', at, hash: state.shadow.hash }])
    default:
      return unreachable(command)
  }
}
