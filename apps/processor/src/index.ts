export { type Clock, SimulatedClock, systemClock } from './clock.ts'
export {
  CommandBus,
  type CommandSource,
  ConfigInvalid,
  PipelineNotFound,
  type RunOutcome,
  type SensorRecorded,
} from './command-bus.ts'
export { type ProcessorConfig, ProcessorConfigInvalid, processorConfig } from './config.ts'
export { type Processor, type ProcessorOptions, startProcessor } from './processor.ts'
export { Reactor, type ReactorLog } from './reactor.ts'
export { type FireTimer, TIMER_QUEUE, type TimerJob, Timers } from './timers.ts'
export {
  MAX_COMMANDS_PER_SCAN,
  type ScanReport,
  WATCHDOG_TIMER_STREAM,
  Watchdog,
  type WatchdogOptions,
} from './watchdog/watchdog.ts'
export type { WatchdogCheck } from './watchdog/watchdog-check.ts'
