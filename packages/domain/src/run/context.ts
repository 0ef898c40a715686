import type { Calendar } from '../calendar/calendar.ts'
import type { PipelineConfig } from '../config/pipeline-config.ts'
import type { RunKey } from '../shared/run-key.ts'

/**
 * Everything a run decision may read besides the command and the folded state. Nothing in the decider
 * reads a clock or the database: the command handler fills this in.
 */
export interface RunContext {
  /** The decision instant in epoch milliseconds (UTC), captured once per command (§0 "single instant"). */
  readonly now: number
  /** The run the stream is about. */
  readonly run: RunKey
  /** The pipeline's current config, as registered in its pipeline stream. */
  readonly config: PipelineConfig
  /** The version of that config (1 for the first registration); every decided event records it. */
  readonly configVersion: number
  /** The pipeline is paused (pipeline stream): sensors are recorded, nothing is decided. */
  readonly paused: boolean
  /** The registered calendars the schedule names (`schedule.calendar`, `exclude.holidays`, C6). */
  readonly calendars?: ReadonlyArray<Calendar>
}
