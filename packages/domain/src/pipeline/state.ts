import type { PipelineConfig } from '../config/pipeline-config.ts'
import { unreachable } from '../shared/decision.ts'
import type { Instant } from '../shared/instant.ts'
import type { PipelineEvent } from './events.ts'

/** A pipeline is unregistered, registered (running or paused) or removed. */
export type PipelineState =
  | { readonly status: 'Unregistered'; readonly version: number }
  | {
      readonly status: 'Registered'
      readonly version: number
      readonly hash: string
      readonly config: PipelineConfig
      readonly paused: boolean
      readonly monitoringSince: Instant
      /** The candidate config observing beside this one (shadow mode, issue #11), if any. */
      readonly shadow: ShadowConfig | null
    }
  | { readonly status: 'Removed'; readonly version: number }

/** A shadow config and since when it observes. */
export interface ShadowConfig {
  readonly config: PipelineConfig
  readonly hash: string
  readonly since: Instant
}

export const initialPipelineState: PipelineState = { status: 'Unregistered', version: 0 }

export const evolvePipeline = (state: PipelineState, event: PipelineEvent): PipelineState => {
  switch (event._tag) {
    case 'PipelineConfigRegistered':
      return {
        status: 'Registered',
        version: event.version,
        hash: event.hash,
        config: event.config,
        paused: false,
        monitoringSince: event.at,
        shadow: null,
      }
    case 'PipelineConfigChanged':
      return state.status === 'Registered'
        ? { ...state, version: event.version, hash: event.hash, config: event.config }
        : state
    case 'PipelineConfigRemoved':
      return { status: 'Removed', version: event.version }
    case 'PipelinePaused':
      return state.status === 'Registered' ? { ...state, paused: true } : state
    case 'PipelineResumed':
      return state.status === 'Registered' ? { ...state, paused: false } : state
    case 'ShadowConfigRegistered':
      return state.status === 'Registered'
        ? { ...state, shadow: { config: event.config, hash: event.hash, since: event.at } }
        : state
    case 'ShadowConfigDiscarded':
    case 'ShadowConfigPromoted':
      return state.status === 'Registered' ? { ...state, shadow: null } : state
    default:
      return unreachable(event)
  }
}
