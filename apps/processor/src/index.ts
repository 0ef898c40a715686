export { Alert, AlertSeverity } from './alerts/alert.ts'
export { type AlertConfig, type AlertSinkConfig, alertConfig, type SinkName } from './alerts/alert-config.ts'
export {
  ALERT_SUBSCRIPTION,
  type AlertDispatcher,
  type AlertDispatcherOptions,
  startAlertDispatcher,
} from './alerts/alert-dispatcher.ts'
export { ALERT_TYPES, type AlertRoute, parseAlertRoute } from './alerts/alert-route.ts'
export { alertText } from './alerts/alert-text.ts'
export { ALERT_DEAD_LETTER_KIND } from './alerts/delivery-worker.ts'
export { AlertRedriveRefused, redriveAlert } from './alerts/redrive-alert.ts'
export { type Clock, SimulatedClock, systemClock } from './clock.ts'
export {
  CommandBus,
  type CommandSource,
  ConfigInvalid,
  MAX_SENSOR_BATCH,
  PipelineNotFound,
  type RunOutcome,
  type SensorBatchResult,
  type SensorReadingInput,
  type SensorRecorded,
} from './command-bus.ts'
export { type ProcessorConfig, ProcessorConfigInvalid, processorConfig } from './config.ts'
export { type Processor, type ProcessorOptions, startProcessor } from './processor.ts'
export { REACTION_DEAD_LETTER_KIND, Reactor, type ReactorLog } from './reactor.ts'
export { type FireTimer, TIMER_QUEUE, type TimerJob, Timers } from './timers.ts'
export {
  MAX_COMMANDS_PER_SCAN,
  type ScanReport,
  WATCHDOG_TIMER_STREAM,
  Watchdog,
  type WatchdogOptions,
} from './watchdog/watchdog.ts'
export type { WatchdogCheck } from './watchdog/watchdog-check.ts'
