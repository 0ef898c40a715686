import { describe, expect, it } from 'vitest'
import { type ExecutionPeriod, parseExecutionPeriod } from './execution-period.ts'
import { matchSensorKey, sensorsForPeriod, splitSensorKey } from './sensors-for-period.ts'

const period = (text: string) => parseExecutionPeriod(text) as ExecutionPeriod

describe('§6.10 TestRemapPerPeriodSensors (spec §3.4, R2)', () => {
  it('normalized_date_suffix — a dashed per-hour row is seen under its base key', () => {
    const sensors = sensorsForPeriod(
      { 'hourly-status#2026-03-03T07': { count: 100 } },
      period('2026-03-03T07'),
    )
    expect(sensors['hourly-status']).toEqual({ count: 100 })
  })

  it('compact_date_suffix — so is a compact one', () => {
    const sensors = sensorsForPeriod({ 'hourly-status#20260303T07': { count: 100 } }, period('2026-03-03T07'))
    expect(sensors['hourly-status']).toEqual({ count: 100 })
  })

  it('no_matching_suffix — a plain row stays as it is', () => {
    const sensors = { 'upstream-complete': { ok: true } }
    expect(sensorsForPeriod(sensors, period('2026-03-03'))).toEqual(sensors)
  })

  it('multiple_sensors — every row of the period is aliased', () => {
    const sensors = sensorsForPeriod(
      {
        'hourly-status#2026-03-13': { a: 1 },
        'daily-check#2026-03-13': { b: 2 },
        'weekly-scan#20260313': { c: 3 },
      },
      period('2026-03-13'),
    )
    expect(Object.keys(sensors).sort()).toEqual([
      'daily-check',
      'daily-check#2026-03-13',
      'hourly-status',
      'hourly-status#2026-03-13',
      'weekly-scan',
      'weekly-scan#20260313',
    ])
  })

  it('daily_date_remaps — TestOrchestrator_Evaluate_PerPeriodDailySensorKey', () => {
    expect(
      sensorsForPeriod({ 'daily-status#20260303': { ok: 1 } }, period('2026-03-03'))['daily-status'],
    ).toEqual({ ok: 1 })
  })

  it('_BaseKeyExists — the per-period row wins over the plain row', () => {
    const sensors = sensorsForPeriod(
      { 'hourly-status': { source: 'base' }, 'hourly-status#2026-03-03T07': { source: 'per-period' } },
      period('2026-03-03T07'),
    )
    expect(sensors['hourly-status']).toEqual({ source: 'per-period' })
  })

  it('exact suffix only — a daily row is not the hour’s, another hour’s row is not this hour’s', () => {
    const sensors = sensorsForPeriod(
      { 'daily-check#2026-03-03': { a: 1 }, 'hourly-status#20260303T08': { b: 2 } },
      period('2026-03-03T07'),
    )
    expect(sensors['daily-check']).toBeUndefined()
    expect(sensors['hourly-status']).toBeUndefined()
  })

  it('dashed wins over compact when both exist, whatever their order (R2)', () => {
    for (const rows of [
      { 'x#20260303': { form: 'compact' }, 'x#2026-03-03': { form: 'dashed' } },
      { 'x#2026-03-03': { form: 'dashed' }, 'x#20260303': { form: 'compact' } },
    ]) {
      expect(sensorsForPeriod(rows, period('2026-03-03')).x).toEqual({ form: 'dashed' })
    }
  })

  it('_StagedMerge_NoCrossContamination — aliases are never re-matched', () => {
    const sensors = sensorsForPeriod({ 'a#2026-03-03#2026-03-03': { n: 1 } }, period('2026-03-03'))
    expect(sensors['a#2026-03-03']).toEqual({ n: 1 })
    expect(sensors.a).toBeUndefined()
  })
})

describe('sensor key matching (R2)', () => {
  it('TestStreamRouter_SensorPrefixMatch_PerPeriodKey — a per-period key matches its base and names the period', () => {
    expect(matchSensorKey('upstream-complete', 'upstream-complete#2026-03-03T18')).toEqual({
      matches: true,
      period: '2026-03-03T18',
    })
  })

  it('matches the exact key without a period', () => {
    expect(matchSensorKey('orders-landed', 'orders-landed')).toEqual({ matches: true })
  })

  it('no longer matches by prefix (R2)', () => {
    expect(matchSensorKey('upstream-complete', 'upstream-completeness')).toEqual({ matches: false })
    expect(matchSensorKey('upstream', 'upstream-complete#2026-03-03')).toEqual({ matches: false })
  })

  it('reads compact suffixes as the dashed period', () => {
    expect(matchSensorKey('orders', 'orders#20260303T07')).toEqual({ matches: true, period: '2026-03-03T07' })
  })

  it('splits only a real period off the key', () => {
    expect(splitSensorKey('orders#not-a-period')).toEqual({ base: 'orders#not-a-period' })
  })
})
