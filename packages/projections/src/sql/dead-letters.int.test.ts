import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { instantFromText } from '@interlock/domain'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listDeadLetters } from '../queries/dead-letters.ts'
import { getDeadLetter, markDeadLetterRedriven, recordDeadLetter } from './dead-letters.ts'

let database: TestDatabase
let pool: pg.Pool

beforeAll(async () => {
  database = await createTestDatabase()
  pool = new pg.Pool({ connectionString: database.url, max: 4 })
})
afterAll(async () => {
  await pool.end()
  await database.drop()
})

const at = (text: string) => instantFromText(text)
const alert = { channel: '#data-alerts', text: 'SLA_BREACH for gold-revenue' }

describe('dead letters', () => {
  it('records a failure with its payload, error and attempts', async () => {
    const recorded = await recordDeadLetter(pool, {
      kind: 'alert',
      key: 'slack/42',
      payload: alert,
      error: 'slack answered 503',
      attempts: 5,
      failedAt: at('2026-03-06T09:00:00Z'),
    })
    expect(recorded).toEqual({
      id: recorded.id,
      kind: 'alert',
      key: 'slack/42',
      payload: alert,
      error: 'slack answered 503',
      attempts: 5,
      firstFailedAt: '2026-03-06T09:00:00.000Z',
      lastFailedAt: '2026-03-06T09:00:00.000Z',
      redrivenAt: null,
    })
    expect(await getDeadLetter(pool, recorded.id)).toEqual(recorded)
  })

  it('updates the open entry of the same kind and key instead of adding one', async () => {
    const repeated = await recordDeadLetter(pool, {
      kind: 'alert',
      key: 'slack/42',
      payload: alert,
      error: 'slack answered 429',
      attempts: 3,
      failedAt: at('2026-03-06T10:00:00Z'),
    })
    expect(repeated).toMatchObject({
      error: 'slack answered 429',
      attempts: 8,
      firstFailedAt: '2026-03-06T09:00:00.000Z',
      lastFailedAt: '2026-03-06T10:00:00.000Z',
    })
    const open = await listDeadLetters(pool, { kind: 'alert' })
    expect(open.items.map((entry) => entry.id)).toEqual([repeated.id])
  })

  it('marks an entry redriven once, after which a new failure of its key opens a new entry', async () => {
    const [open] = (await listDeadLetters(pool, { kind: 'alert' })).items
    const redriven = await markDeadLetterRedriven(pool, open!.id, at('2026-03-06T11:00:00Z'))
    expect(redriven?.redrivenAt).toBe('2026-03-06T11:00:00.000Z')
    expect(await markDeadLetterRedriven(pool, open!.id, at('2026-03-06T11:05:00Z'))).toBeNull()
    expect(await markDeadLetterRedriven(pool, 999_999n, at('2026-03-06T11:05:00Z'))).toBeNull()
    expect((await listDeadLetters(pool, { kind: 'alert' })).items).toEqual([])

    const again = await recordDeadLetter(pool, {
      kind: 'alert',
      key: 'slack/42',
      payload: alert,
      error: 'slack answered 503',
      attempts: 1,
      failedAt: at('2026-03-06T12:00:00Z'),
    })
    expect(again.id).not.toBe(open!.id)
    const all = await listDeadLetters(pool, { kind: 'alert', includeRedriven: true })
    expect(all.items.map((entry) => [entry.id, entry.redrivenAt])).toEqual([
      [again.id, null],
      [open!.id, '2026-03-06T11:00:00.000Z'],
    ])
  })

  it('keeps failures without a key apart, lists newest first and pages by id', async () => {
    const ids: Array<bigint> = []
    for (let n = 1; n <= 5; n++) {
      const entry = await recordDeadLetter(pool, {
        kind: 'job-start',
        payload: { attemptId: `orders-daily/default/2026-03-0${n}/1` },
        error: 'connection refused',
        attempts: 1,
        failedAt: at(`2026-03-0${n}T06:00:00Z`),
      })
      ids.push(entry.id)
    }
    const first = await listDeadLetters(pool, { kind: 'job-start', limit: 2 })
    const second = await listDeadLetters(pool, {
      kind: 'job-start',
      limit: 2,
      cursor: first.nextCursor ?? '',
    })
    const third = await listDeadLetters(pool, {
      kind: 'job-start',
      limit: 2,
      cursor: second.nextCursor ?? '',
    })
    expect([...first.items, ...second.items, ...third.items].map((entry) => entry.id)).toEqual(
      [...ids].reverse(),
    )
    expect(third.nextCursor).toBeNull()
    expect((await listDeadLetters(pool)).items.map((entry) => entry.kind)).toEqual([
      'job-start',
      'job-start',
      'job-start',
      'job-start',
      'job-start',
      'alert',
    ])
  })

  it('refuses a failure that spent no attempt, naming the value and what to pass', async () => {
    await expect(
      recordDeadLetter(pool, {
        kind: 'alert',
        payload: {},
        error: 'x',
        attempts: 0,
        failedAt: at('2026-03-06T09:00:00Z'),
      }),
    ).rejects.toThrow(
      'a dead letter of kind alert was given attempts 0; pass the number of delivery attempts spent, at least 1',
    )
  })
})
