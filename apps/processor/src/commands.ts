import type { RunEvent, RunRejection, RunState } from '@interlock/domain'
import type { CommandOutcome } from '@interlock/eventstore'
import { Data } from 'effect'

/** A sensor, rerun or callback named a pipeline that has no registered config: nothing is stored. */
export class PipelineNotFound extends Data.TaggedError('PipelineNotFound')<{ readonly pipelineId: string }> {
  override get message(): string {
    return `Pipeline ${this.pipelineId} is not registered; register its config first (PUT /api/pipelines/${this.pipelineId}).`
  }
}

/** Who sent a command and under which id, recorded in every event it produces. */
export interface CommandSource {
  readonly actor: string
  /** Makes the command idempotent: the same id twice appends once. Generated when absent. */
  readonly commandId?: string
  readonly correlationId?: string
  readonly causationId?: string
}

export type RunOutcome = CommandOutcome<RunEvent, RunRejection, RunState>
