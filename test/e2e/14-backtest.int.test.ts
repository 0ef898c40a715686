// Issue #11, backtest: five periods of seed 000's sensor-table pipeline are recorded through the API on
// the simulated clock (Airflow DAG runs polled to success; one period short of rows, exhausted, its fix
// arriving half an hour too late). Candidates are then replayed against that history: the identical config
// reports no difference, a tighter threshold blocks exactly the periods below it, a calendar exclusion
// removes exactly its dates, a longer window turns the exhaustion into a trigger; nothing is written.
import { parsePipelineConfig, RunEvent, recordedInputsOf, recordedWorld, replayRun } from '@interlock/domain'
import { Either, Schema } from 'effect'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeAirflow, startFakeAirflow } from '../src/index.ts'
import { type Interlock, startInterlock } from './harness/interlock.ts'
import { sensorTablePipeline } from './harness/pipelines.ts'

const ID = 'orders-backtest'
/** Each period's record count; the 2026-02-26 count is fixed to 1200 ninety minutes after its trigger. */
const COUNTS: ReadonlyArray<readonly [string, number]> = [
  ['2026-02-23', 1500],
  ['2026-02-24', 1100],
  ['2026-02-25', 2500],
  ['2026-02-26', 900],
  ['2026-02-27', 1300],
]
const START = Date.parse('2026-03-02T06:00:00Z')
const HOUR = 3_600_000
const MINUTE = 60_000
/** Period i is recorded from START + 3h·i (the period comes from `date`, not from the clock). */
const openedAt = (index: number) => START + 3 * HOUR * index

let interlock: Interlock
let airflow: FakeAirflow
let live: string

interface Decision {
  readonly outcome: string
  readonly triggeredAt: string | null
  readonly blockedBy: ReadonlyArray<string>
  readonly validationExhausted: boolean
  readonly excluded: boolean
}
interface Comparison {
  readonly period: string
  readonly live: Decision
  readonly candidate: Decision
  readonly trigger: string
  readonly differences: ReadonlyArray<string>
}
interface Report {
  readonly periods: ReadonlyArray<Comparison>
  readonly summary: Record<string, unknown>
}

const advanceTo = async (instant: number) => {
  const answer = await interlock.call('POST', '/api/clock/advance', { to: new Date(instant).toISOString() })
  expect(answer.status).toBe(200)
}

const backtest = async (config: string, range: { from?: string; to?: string } = {}): Promise<Report> => {
  const answer = await interlock.call('POST', `/api/pipelines/${ID}/backtest`, { config, ...range })
  expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  return answer.body as Report
}

/** Every row of the log and of every read model, to show a backtest changed none of them. */
const everything = async () => ({
  events: await interlock.query('select count(*)::int as n, max(global_position)::text as head from events'),
  pipelines: await interlock.query('select * from pipelines order by pipeline_id'),
  sensors: await interlock.query('select * from sensors_latest order by 1, 2, 3'),
  runs: await interlock.query('select * from runs order by pipeline_id, schedule_id, period'),
  attempts: await interlock.query(
    'select * from run_attempts order by pipeline_id, schedule_id, period, attempt_number',
  ),
  reruns: await interlock.query('select * from reruns order by id'),
  audit: await interlock.query('select * from audit_events order by id'),
  subscriptions: await interlock.query('select * from event_subscriptions order by 1'),
})

/** The read models have applied the whole log: two snapshots in a row agree. */
const settled = async () => {
  let previous = JSON.stringify(await everything())
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200))
    const current = JSON.stringify(await everything())
    if (current === previous) return JSON.parse(current) as unknown
    previous = current
  }
}

beforeAll(async () => {
  airflow = await startFakeAirflow()
  interlock = await startInterlock()
  live = sensorTablePipeline(ID, airflow.url)
  await interlock.register(ID, live)
  for (const [index, [date, count]] of COUNTS.entries()) {
    const opened = openedAt(index)
    await advanceTo(opened)
    await interlock.sensor(ID, 'freshness', { lag: 10, date })
    await interlock.sensor(ID, 'record-count', { count, date })
    await interlock.sensor(ID, 'upstream-check', { complete: true, date })
    await advanceTo(opened + 5 * MINUTE)
    await advanceTo(opened + 90 * MINUTE)
    if (count < 1000) await interlock.sensor(ID, 'record-count', { count: 1200, date })
    await advanceTo(opened + 2 * HOUR)
  }
}, 120_000)
afterAll(async () => {
  await interlock?.close()
  await airflow?.close()
})

describe('the recorded history', () => {
  it('has four periods run to success and one exhausted before its fix arrived', async () => {
    const outcomes = await Promise.all(
      COUNTS.map(async ([date]) => (await interlock.run(ID, date)).run.status),
    )
    expect(outcomes).toEqual(['succeeded', 'succeeded', 'succeeded', 'validation_exhausted', 'succeeded'])
  })
})

describe('the replay engine on the recorded streams', () => {
  it('decides, with the live config, exactly the events each period recorded', async () => {
    const parsed = parsePipelineConfig(live)
    if (Either.isLeft(parsed)) throw new Error(JSON.stringify(parsed.left))
    for (const [date] of COUNTS) {
      const rows = await interlock.query(
        `select type, data, metadata from events where stream_id = 'run-${ID}-default-${date}' order by stream_version`,
      )
      const events = rows.map((row) => ({
        event: Schema.decodeUnknownSync(RunEvent)({ ...(row.data as object), _tag: row.type }),
        commandId: (row.metadata as { commandId?: string }).commandId,
      }))
      const recorded = { run: { pipelineId: ID, scheduleId: 'default', period: date }, events }
      const history = recordedInputsOf(recorded)
      const replayed = replayRun(
        recorded.run,
        history.inputs,
        { config: parsed.right, configVersion: 1, calendars: [] },
        recordedWorld(history),
        openedAt(COUNTS.length),
      )
      expect(replayed.events).toEqual(events.map((entry) => entry.event))
    }
  })
})

describe('POST /api/pipelines/{id}/backtest', () => {
  it('reports no difference at all for the identical config, and writes nothing', async () => {
    const before = await settled()
    const report = await backtest(live)
    expect(report.periods.map((period) => [period.period, period.differences])).toEqual(
      COUNTS.map(([date]) => [date, []]),
    )
    expect(report.summary).toMatchObject({
      periods: 5,
      differing: 0,
      triggeredEarlier: 0,
      triggeredLater: 0,
      neverTriggered: 0,
      newlyTriggered: 0,
      slaVerdictChanges: [],
    })
    expect(report.periods[0]!.live).toMatchObject({
      outcome: 'succeeded',
      triggeredAt: new Date(openedAt(0)).toISOString(),
    })
    expect(report.periods[3]!.live).toMatchObject({
      outcome: 'validation-exhausted',
      blockedBy: ['record-count.count gte 1000'],
    })
    expect(await settled()).toEqual(before)
  })

  it('blocks exactly the periods whose readings were below a tightened gte threshold', async () => {
    const before = await settled()
    const report = await backtest(live.replace('value: 1000', 'value: 1400'))
    expect(
      report.periods.filter((period) => period.trigger === 'never').map((period) => period.period),
    ).toEqual(['2026-02-24', '2026-02-27'])
    expect(report.periods.filter((period) => period.trigger !== 'same').length).toBe(2)
    expect(report.periods[1]!.candidate).toMatchObject({
      outcome: 'validation-exhausted',
      triggeredAt: null,
      blockedBy: ['record-count.count gte 1400'],
      validationExhausted: true,
    })
    expect(report.summary).toMatchObject({
      neverTriggered: 2,
      blockingRules: { candidate: [{ rule: 'record-count.count gte 1400', periods: 3 }] },
    })
    expect(await settled()).toEqual(before)
  })

  it('removes exactly the dates a calendar exclusion names', async () => {
    const excluded = live.replace(
      'timezone: UTC',
      'timezone: UTC\n  exclude: { dates: ["2026-02-24", "2026-02-26"] }',
    )
    const report = await backtest(excluded)
    const changed = report.periods.filter((period) => period.differences.length > 0)
    expect(
      changed.map((period) => [period.period, period.candidate.outcome, period.candidate.excluded]),
    ).toEqual([
      ['2026-02-24', 'excluded', true],
      ['2026-02-26', 'excluded', true],
    ])
  })

  it('turns the recorded VALIDATION_EXHAUSTED into "would trigger" with a longer evaluation window', async () => {
    const report = await backtest(live.replace('window: 1h', 'window: 3h'))
    const exhausted = report.periods[3]!
    expect(exhausted.live).toMatchObject({ outcome: 'validation-exhausted', triggeredAt: null })
    expect(exhausted.candidate).toMatchObject({
      outcome: 'would-trigger',
      triggeredAt: new Date(openedAt(3) + 95 * MINUTE).toISOString(),
      validationExhausted: false,
    })
    expect(exhausted.trigger).toBe('newly')
    expect(report.summary).toMatchObject({ differing: 1, newlyTriggered: 1 })
  })

  it('compares only the periods in the range', async () => {
    const report = await backtest(live, { from: '2026-02-24', to: '2026-02-25' })
    expect(report.periods.map((period) => period.period)).toEqual(['2026-02-24', '2026-02-25'])
  })

  it('answers an invalid candidate with 400 naming each problem under config.', async () => {
    const answer = await interlock.call('POST', `/api/pipelines/${ID}/backtest`, {
      config: live.replace('timezone: UTC', 'timezone: UTC\n  windw: 1h').replace(`id: ${ID}`, 'id: other'),
    })
    expect(answer.status).toBe(400)
    expect((answer.body as { errors: unknown }).errors).toEqual([
      { in: 'body', path: 'config.schedule.windw', message: expect.stringContaining('unknown key "windw"') },
    ])
    const renamed = await interlock.call('POST', `/api/pipelines/${ID}/backtest`, {
      config: live.replace(`id: ${ID}`, 'id: other'),
    })
    expect(renamed.status).toBe(400)
    expect((renamed.body as { errors: unknown }).errors).toEqual([
      {
        in: 'body',
        path: 'config.pipeline.id',
        message: `the candidate names pipeline other; a backtest of ${ID} needs pipeline.id: ${ID}`,
      },
    ])
  })
})
