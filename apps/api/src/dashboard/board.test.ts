import { describe, expect, it } from 'vitest'
import { boardCardOf, cardStateOf, worstFirst } from './board.ts'
import type { BoardRow } from './dashboard-sql.ts'
import { periodBefore, timelineRows } from './pages/pipeline-page.ts'

const NOW = Date.parse('2026-03-04T10:00:00Z')

/** A board row with defaults: a registered pipeline with two rules and no run yet. */
const row = (overrides: Partial<BoardRow> = {}): BoardRow => ({
  pipelineId: 'orders-daily',
  owner: 'data-platform',
  description: null,
  paused: false,
  pauseReason: null,
  dryRun: false,
  hash: `hash-${overrides.pipelineId ?? 'orders-daily'}`,
  validation: {
    trigger: 'ALL',
    rules: [
      { key: 'orders-landed', check: 'equals', field: 'status', value: 'COMPLETE' },
      { key: 'orders-count', check: 'gte', field: 'count', value: 1000 },
    ],
  },
  sensors: {},
  run: null,
  lastResult: null,
  ...overrides,
})

const run = (overrides: Partial<NonNullable<BoardRow['run']>> = {}): NonNullable<BoardRow['run']> => ({
  scheduleId: 'default',
  period: '2026-03-04',
  status: 'evaluating',
  attemptCount: 1,
  rerunCount: 0,
  slaBreachAt: null,
  slaWarningAt: null,
  slaStatus: null,
  relativeSlaBreachAt: null,
  relativeSlaStatus: null,
  failureReason: null,
  ...overrides,
})

describe('a board card', () => {
  it('says paused before dry-run, and dry-run before the run status', () => {
    expect(cardStateOf(row({ paused: true, dryRun: true, run: run() }))).toBe('paused')
    expect(cardStateOf(row({ dryRun: true, run: run() }))).toBe('dry-run')
    expect(cardStateOf(row())).toBe('waiting')
    expect(cardStateOf(row({ run: run({ status: 'validation_exhausted' }) }))).toBe('failed')
    expect(cardStateOf(row({ run: run({ status: 'triggering' }) }))).toBe('running')
  })

  it('names the rules that block a waiting period, read from its per-period sensors', () => {
    const card = boardCardOf(
      row({
        run: run(),
        sensors: { 'orders-landed#2026-03-04': { status: 'COMPLETE' }, 'orders-count': { count: 10 } },
      }),
      NOW,
    )
    expect(card.readiness).toEqual({
      _tag: 'Blocked',
      rules: 2,
      blocking: [expect.objectContaining({ key: 'orders-count', field: 'count', passed: false, actual: 10 })],
    })
    const ready = boardCardOf(
      row({
        run: run(),
        sensors: { 'orders-landed': { status: 'COMPLETE' }, 'orders-count': { count: 1000 } },
      }),
      NOW,
    )
    expect(ready.readiness).toEqual({ _tag: 'Ready', rules: 2 })
  })

  it('does not judge readiness once the job runs', () => {
    expect(boardCardOf(row({ run: run({ status: 'running' }) }), NOW).readiness).toEqual({
      _tag: 'NotJudged',
    })
  })

  it('counts down to the SLA breach, and shows the verdict once there is one', () => {
    const breachAt = new Date(NOW + 90 * 60_000)
    expect(boardCardOf(row({ run: run({ slaBreachAt: breachAt, slaStatus: 'pending' }) }), NOW).sla).toEqual({
      _tag: 'Countdown',
      breachAt: breachAt.getTime(),
      warned: false,
    })
    expect(
      boardCardOf(row({ run: run({ relativeSlaBreachAt: breachAt, relativeSlaStatus: 'met' }) }), NOW).sla,
    ).toEqual({ _tag: 'Verdict', verdict: 'met' })
  })
})

describe('the board order', () => {
  it('puts failures first, then breached SLAs, then the other states, ties by id', () => {
    const cards = [
      row({ pipelineId: 'b-succeeded', run: run({ status: 'succeeded' }) }),
      row({ pipelineId: 'c-waiting' }),
      row({
        pipelineId: 'd-breached',
        run: run({ status: 'running', slaBreachAt: new Date(NOW), slaStatus: 'breached' }),
      }),
      row({ pipelineId: 'e-failed', run: run({ status: 'failed' }) }),
      row({ pipelineId: 'a-waiting' }),
      row({ pipelineId: 'f-evaluating', run: run() }),
    ].map((board) => boardCardOf(board, NOW))
    expect(worstFirst(cards).map((card) => card.pipelineId)).toEqual([
      'e-failed',
      'd-breached',
      'f-evaluating',
      'a-waiting',
      'c-waiting',
      'b-succeeded',
    ])
  })
})

describe('the timeline', () => {
  it('steps back by days or hours across month ends', () => {
    expect(periodBefore('2026-03-01', 1)).toBe('2026-02-28')
    expect(periodBefore('2026-03-01T00', 1)).toBe('2026-02-28T23')
  })

  it('shows 48 periods up to the newest run, a period without a run as an empty cell', () => {
    const timeline = {
      scheduleId: 'default',
      attemptCount: 1,
      rerunCount: 0,
      slaBreached: false,
      dryRun: false,
    }
    const [only] = timelineRows([
      { ...timeline, period: '2026-03-04', status: 'succeeded' },
      { ...timeline, period: '2026-03-02', status: 'failed' },
    ])
    expect(only?.cells).toHaveLength(48)
    expect(only?.cells.slice(-3).map((cell) => [cell.period, cell.run?.status])).toEqual([
      ['2026-03-02', 'failed'],
      ['2026-03-03', undefined],
      ['2026-03-04', 'succeeded'],
    ])
  })
})
