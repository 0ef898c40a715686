import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import { parsePipelineConfig } from '../config/parse-pipeline-config.ts'
import type { PipelineConfig } from '../config/pipeline-config.ts'
import type { RunKey } from '../shared/run-key.ts'
import { backtest } from './backtest.ts'
import { type RecordedRun, recordedInputsOf, type ScheduledCommand } from './recorded-history.ts'
import { recordedWorld } from './recorded-world.ts'
import { replayRun } from './replay-run.ts'
import { syntheticHistory } from './testing/synthetic-world.ts'

// Histories are made by the run decider itself in a world whose jobs succeed (testing/synthetic-world.ts),
// so each test controls exactly which readings every period received.

const yaml = (options: { threshold?: number; window?: string; exclude?: string } = {}) => `
pipeline: { id: orders-daily }
schedule:
  timezone: UTC
  trigger: { key: orders-landed, check: equals, field: status, value: COMPLETE }
  evaluation: { window: ${options.window ?? '1h'}, interval: 10m }${options.exclude ?? ''}
validation:
  trigger: ALL
  rules:
    - { key: orders-landed, check: equals, field: status, value: COMPLETE }
    - { key: orders-count, check: gte, field: count, value: ${options.threshold ?? 1000} }
job:
  type: command
  config: { command: "load-orders" }
`

const configOf = (text: string): PipelineConfig => {
  const parsed = parsePipelineConfig(text)
  if (Either.isLeft(parsed)) throw new Error(JSON.stringify(parsed.left))
  return parsed.right
}

const replayConfig = (config: PipelineConfig, configVersion = 1) => ({ config, configVersion, calendars: [] })

const LIVE = configOf(yaml())
const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'] as const
/** Each day's row count, pushed at 06:00; the trigger arrives at 06:05. */
const COUNTS: Record<string, number> = {
  '2026-03-01': 1500,
  '2026-03-02': 1200,
  '2026-03-03': 2500,
  '2026-03-04': 900,
}
const UNTIL = Date.parse('2026-03-10T00:00:00Z')

const runOf = (period: string): RunKey => ({ pipelineId: 'orders-daily', scheduleId: 'default', period })

const reading = (
  at: string,
  order: number,
  key: string,
  data: Record<string, unknown>,
): ScheduledCommand => ({
  at: Date.parse(at),
  order,
  command: { _tag: 'RecordSensorReading', key, data },
})

/** A month-like history: count first, trigger five minutes later; on day 4 the count is fixed at 07:30. */
const history = (live: PipelineConfig = LIVE): ReadonlyArray<RecordedRun> =>
  DAYS.map((day) => {
    const inputs = [
      reading(`${day}T06:00:00Z`, 0, 'orders-count', { count: COUNTS[day], date: day }),
      reading(`${day}T06:05:00Z`, 1, 'orders-landed', { status: 'COMPLETE', date: day }),
      ...(day === '2026-03-04'
        ? [reading(`${day}T07:30:00Z`, 2, 'orders-count', { count: 1100, date: day })]
        : []),
    ]
    return syntheticHistory(runOf(day), inputs, replayConfig(live), UNTIL)
  })

describe('backtest, the identical candidate', () => {
  it('reports no difference at all, and decides exactly the recorded events', () => {
    const runs = history()
    const report = backtest({ runs, candidate: replayConfig(LIVE), until: UNTIL })
    expect(report.summary).toMatchObject({
      periods: 4,
      differing: 0,
      triggeredEarlier: 0,
      triggeredLater: 0,
      neverTriggered: 0,
      newlyTriggered: 0,
      slaVerdictChanges: [],
    })
    expect(report.periods.map((period) => period.differences)).toEqual([[], [], [], []])
    for (const recorded of runs) {
      const inputs = recordedInputsOf(recorded)
      const replayed = replayRun(
        recorded.run,
        inputs.inputs,
        replayConfig(LIVE),
        recordedWorld(inputs),
        UNTIL,
      )
      expect(replayed.events).toEqual(recorded.events.map((entry) => entry.event))
    }
  })
})

describe('backtest, a tighter gte threshold', () => {
  it('blocks exactly the periods whose readings were below it, naming the rule', () => {
    const report = backtest({
      runs: history(),
      candidate: replayConfig(configOf(yaml({ threshold: 1300 })), 2),
      until: UNTIL,
    })
    const blocked = report.periods
      .filter((period) => period.trigger === 'never')
      .map((period) => period.period)
    expect(blocked).toEqual(['2026-03-02'])
    const day2 = report.periods[1]!
    expect(day2.live).toMatchObject({ outcome: 'succeeded', triggeredAt: '2026-03-02T06:05:00.000Z' })
    expect(day2.candidate).toMatchObject({
      outcome: 'validation-exhausted',
      triggeredAt: null,
      blockedBy: ['orders-count.count gte 1300'],
      validationExhausted: true,
    })
    // Day 4 was already late under the live config (900, fixed at 07:30 after its window closed).
    expect(report.periods[3]!.differences).toEqual(['blockedBy'])
    expect(report.summary.blockingRules.candidate).toEqual([
      { rule: 'orders-count.count gte 1300', periods: 2 },
    ])
    expect(report.summary.neverTriggered).toBe(1)
  })
})

describe('backtest, a longer evaluation window', () => {
  it('turns a recorded validation exhaustion into "would trigger" at the evaluation that sees the late fix', () => {
    const report = backtest({
      runs: history(),
      candidate: replayConfig(configOf(yaml({ window: '2h' })), 2),
      until: UNTIL,
    })
    const day4 = report.periods[3]!
    expect(day4.live).toMatchObject({ outcome: 'validation-exhausted', triggeredAt: null })
    expect(day4.candidate).toMatchObject({
      outcome: 'would-trigger',
      triggeredAt: '2026-03-04T07:35:00.000Z',
      validationExhausted: false,
    })
    expect(day4.trigger).toBe('newly')
    expect(report.summary).toMatchObject({ differing: 1, newlyTriggered: 1 })
  })
})

describe('backtest, a calendar exclusion', () => {
  it('removes exactly the excluded dates', () => {
    const exclude = '\n  exclude: { dates: ["2026-03-01", "2026-03-03"] }'
    const report = backtest({
      runs: history(),
      candidate: replayConfig(configOf(yaml({ exclude })), 2),
      until: UNTIL,
    })
    expect(
      report.periods.filter((period) => period.candidate.excluded).map((period) => period.period),
    ).toEqual(['2026-03-01', '2026-03-03'])
    expect(report.periods[0]!.candidate).toMatchObject({
      outcome: 'excluded',
      triggeredAt: null,
      attempts: 0,
    })
    expect(report.periods.filter((period) => period.differences.length > 0).length).toBe(2)
  })
})
