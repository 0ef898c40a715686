import {
  type Calendar,
  decideShadowRun,
  EVENT_TAGS,
  evolveShadowRun,
  initialRunState,
  type PipelineState,
  type RunKey,
  shadowRunStreamId,
} from '@interlock/domain'
import { handleCommand } from '@interlock/eventstore'
import type { CommandBus } from './command-bus.ts'
import type { CommandSource } from './commands.ts'

/**
 * Records one sensor reading in the shadow run streams of its periods (issue #11, shadow mode): the same
 * `RecordSensorReading` the live runs received, decided with the pipeline's shadow config as a dry run and
 * stored as `ShadowObserved` events, which no read model, reactor or alert acts on. A pipeline without a
 * shadow config costs nothing. The command id is derived from the live one, so a repeated reading is
 * observed once.
 */
export async function recordShadowReadings(
  bus: Pick<CommandBus, 'store' | 'clock'>,
  pipeline: PipelineState,
  /** The registered calendars the shadow config names (C6). */
  calendars: ReadonlyArray<Calendar>,
  runs: ReadonlyArray<RunKey>,
  reading: { readonly key: string; readonly data: Readonly<Record<string, unknown>> },
  source: CommandSource & { readonly commandId: string },
): Promise<void> {
  if (pipeline.status !== 'Registered' || pipeline.shadow === null) return
  const shadow = pipeline.shadow
  for (const run of runs) {
    await handleCommand(
      bus.store,
      { initialState: () => initialRunState, evolve: evolveShadowRun, decide: decideShadowRun },
      shadowRunStreamId(run),
      { _tag: 'RecordSensorReading', key: reading.key, data: reading.data },
      {
        actor: source.actor,
        commandId: `shadow:${source.commandId}:${run.scheduleId}`,
        ...(source.correlationId === undefined ? {} : { correlationId: source.correlationId }),
        configVersion: pipeline.version,
        tags: {
          [EVENT_TAGS.pipelineId]: run.pipelineId,
          [EVENT_TAGS.scheduleId]: run.scheduleId,
          [EVENT_TAGS.period]: run.period,
        },
        context: () => ({
          now: bus.clock.now(),
          run,
          config: shadow.config,
          configVersion: pipeline.version,
          paused: pipeline.paused,
          calendars,
        }),
      },
    )
  }
}
