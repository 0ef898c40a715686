import { instantFromText, type RunCommand } from '@interlock/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestbed,
  dailyPipeline,
  pipelineConfig,
  runOf,
  type Testbed,
} from '../testing/event-history.ts'
import { listAuditEvents } from './audit-events.ts'
import { type Page, pageSize } from './page.ts'
import { listPipelines } from './pipelines.ts'
import { listReruns } from './reruns.ts'
import { listRuns } from './runs.ts'

const CLICKSTREAM = 'clickstream-hourly'
const SCHEDULES = ['morning', 'evening'] as const
const PERIODS = Array.from({ length: 12 }, (_, day) => `2026-03-${String(day + 1).padStart(2, '0')}`)

let bed: Testbed

/** Reads every page of a listing, `limit` rows at a time, and checks no page but the last is short. */
async function everyPage<T>(read: (cursor: string | undefined) => Promise<Page<T>>, limit: number) {
  const pages: Array<ReadonlyArray<T>> = []
  let cursor: string | undefined
  for (;;) {
    const page = await read(cursor)
    pages.push(page.items)
    if (page.nextCursor === null) break
    expect(page.items).toHaveLength(limit)
    cursor = page.nextCursor
  }
  return pages
}

beforeAll(async () => {
  bed = await createTestbed()
  bed.start()
  // Two schedules with twelve periods each: 24 runs opened by a sensor reading that starts nothing.
  await bed.history.register(
    pipelineConfig({
      pipeline: { id: CLICKSTREAM },
      schedules: SCHEDULES.map((name) => ({
        name,
        trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
      })),
      job: { type: 'command', config: { command: 'load-clicks' } },
    }),
    '2026-03-01T00:00:00Z',
  )
  for (const period of PERIODS) {
    for (const schedule of SCHEDULES) {
      await bed.history.run(runOf(CLICKSTREAM, period, schedule), [
        [`${period}T23:00:00Z`, { _tag: 'RecordSensorReading', key: 'row-count', data: { count: 1 } }],
      ])
    }
  }
  // Ten rerun requests of periods that never ran, all decided at one instant (INFRA_FAILURE each): ties
  // on the time are broken by id.
  await bed.history.register(dailyPipeline('orders-daily'), '2026-03-01T00:00:00Z')
  for (const period of PERIODS.slice(0, 10)) {
    const rerun: RunCommand = { _tag: 'RequestRerun', requestId: `rerun-${period}` }
    await bed.history.run(runOf('orders-daily', period), [['2026-03-20T12:00:00Z', rerun]])
  }
  await bed.caughtUp()
})
afterAll(async () => {
  await bed.close()
})

describe('listRuns', () => {
  it('pages through a pipeline runs by period descending then schedule, each run once', async () => {
    const pages = await everyPage(
      (cursor) => listRuns(bed.pool, CLICKSTREAM, { limit: 5, ...(cursor ? { cursor } : {}) }),
      5,
    )
    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 4])
    const expected = [...PERIODS]
      .reverse()
      .flatMap((period) => ['evening', 'morning'].map((schedule) => [period, schedule]))
    expect(pages.flat().map((run) => [run.period, run.scheduleId])).toEqual(expected)
  })

  it('pages within one schedule', async () => {
    const pages = await everyPage(
      (cursor) =>
        listRuns(bed.pool, CLICKSTREAM, { scheduleId: 'morning', limit: 7, ...(cursor ? { cursor } : {}) }),
      7,
    )
    expect(pages.flat().map((run) => run.period)).toEqual([...PERIODS].reverse())
    expect(new Set(pages.flat().map((run) => run.scheduleId))).toEqual(new Set(['morning']))
  })

  it('returns no cursor when everything fits, and an empty page for a pipeline without runs', async () => {
    expect((await listRuns(bed.pool, CLICKSTREAM, { limit: 24 })).nextCursor).toBeNull()
    expect(await listRuns(bed.pool, 'unknown-pipeline')).toEqual({ items: [], nextCursor: null })
  })
})

describe('listReruns and listAuditEvents', () => {
  it('page newest first, ties on the instant broken by id', async () => {
    const pages = await everyPage(
      (cursor) => listReruns(bed.pool, { limit: 3, ...(cursor ? { cursor } : {}) }),
      3,
    )
    const ids = pages.flat().map((rerun) => rerun.id)
    expect(ids).toHaveLength(10)
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? 1 : -1)))
    expect(pages.flat().map((rerun) => rerun.requestId)).toEqual(
      PERIODS.slice(0, 10)
        .reverse()
        .map((period) => `rerun-${period}`),
    )
  })

  it('pages a filtered audit listing without losing or repeating an event', async () => {
    const filter = { pipelineId: 'orders-daily', types: ['INFRA_FAILURE'] }
    const all = await listAuditEvents(bed.pool, filter)
    expect(all.items).toHaveLength(10)
    const pages = await everyPage(
      (cursor) => listAuditEvents(bed.pool, { ...filter, limit: 4, ...(cursor ? { cursor } : {}) }),
      4,
    )
    expect(pages.map((page) => page.length)).toEqual([4, 4, 2])
    expect(pages.flat()).toEqual(all.items)
    const until = await listAuditEvents(bed.pool, {
      ...filter,
      until: instantFromText('2026-03-20T12:00:00Z'),
    })
    expect(until.items).toEqual([])
  })
})

describe('listPipelines', () => {
  it('pages in id order', async () => {
    const pages = await everyPage(
      (cursor) => listPipelines(bed.pool, { limit: 1, ...(cursor ? { cursor } : {}) }),
      1,
    )
    expect(pages.flat().map((pipeline) => pipeline.pipelineId)).toEqual([CLICKSTREAM, 'orders-daily'])
  })
})

describe('page requests', () => {
  it('refuse a cursor the listing did not issue, saying what to do', async () => {
    await expect(listRuns(bed.pool, CLICKSTREAM, { cursor: 'not-a-cursor' })).rejects.toThrow(
      'The cursor "not-a-cursor" is not one this listing returned; pass nextCursor from the previous page unchanged, or omit it to read the first page.',
    )
    const runsCursor = (await listRuns(bed.pool, CLICKSTREAM, { limit: 1 })).nextCursor ?? ''
    await expect(listAuditEvents(bed.pool, { cursor: runsCursor })).rejects.toMatchObject({
      _tag: 'InvalidPageRequest',
      field: 'cursor',
    })
  })

  it('refuse a page size out of range', () => {
    expect(() => pageSize(0)).toThrow(
      'The page size 0 is out of range; ask for 1 to 500 rows, or omit limit for 50.',
    )
    expect(() => pageSize(501)).toThrow('The page size 501 is out of range')
    expect(() => pageSize(2.5)).toThrow('The page size 2.5 is out of range')
    expect(pageSize(undefined)).toBe(50)
  })
})
