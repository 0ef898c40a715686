import { Schema } from 'effect'
import { Instant } from '../../shared/instant.ts'
import { decided, SensorData } from './common.ts'

/** A sensor reading of this period, stored in the run stream (rulings R1–R3). */
export const SensorReadingRecorded = Schema.TaggedStruct('SensorReadingRecorded', {
  at: Instant,
  key: Schema.String,
  data: SensorData,
}).annotations({ identifier: 'SensorReadingRecorded' })

/** T0 of the relative SLA: the first sensor that started the run (first write wins, §1.4 S9). */
export const FirstSensorArrivalRecorded = Schema.TaggedStruct('FirstSensorArrivalRecorded', {
  ...decided,
  sensorKey: Schema.String,
}).annotations({ identifier: 'FirstSensorArrivalRecorded' })

/**
 * A passing trigger sensor, or a cron fire, started nothing because the execution period is excluded by
 * the calendar (S6; rulings C7, L7: judged on the period's date, not the wall clock).
 */
export const TriggerExcluded = Schema.TaggedStruct('TriggerExcluded', {
  ...decided,
  source: Schema.Literal('sensor', 'cron'),
  sensorKey: Schema.optional(Schema.String),
}).annotations({ identifier: 'TriggerExcluded' })
