import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestbed, type Testbed } from './testing/event-history.ts'
import { playScenario } from './testing/scenario.ts'

// The README's example queries, run as written against a projected history, so the documentation cannot
// drift from the tables. `now()` becomes an instant of the history's week (Monday 2026-03-02 onwards).
const NOW = "'2026-03-06T12:00:00Z'::timestamptz"

let bed: Testbed
let queries: ReadonlyArray<string>

const query = (fragment: string): string => {
  const found = queries.find((text) => text.includes(fragment))
  if (found === undefined) throw new Error(`the README has no example query containing ${fragment}`)
  return found
}
const run = async (text: string) => (await bed.pool.query(text.replaceAll('now()', NOW))).rows

beforeAll(async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  queries = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!)
  bed = await createTestbed()
  bed.start()
  await playScenario(bed.history)
  await bed.caughtUp()
})
afterAll(async () => {
  await bed.close()
})

describe('README example queries', () => {
  it('all run against the projected tables', async () => {
    expect(queries.length).toBeGreaterThanOrEqual(8)
    for (const text of queries) await expect(run(text), text).resolves.toBeDefined()
  })

  it('find the pipelines that breached an SLA this week, counting runs', async () => {
    expect(await run(query('runs_breached'))).toEqual([
      { pipeline_id: 'gold-revenue', runs_breached: '1', first_breach: new Date('2026-03-06T09:00:00Z') },
    ])
    expect(await run(query('coalesce(sla_breach_at'))).toMatchObject([
      { pipeline_id: 'gold-revenue', period: '2026-03-05', status: 'succeeded' },
    ])
  })

  it('list every decision for gold-revenue on 2026-03-05, published and recorded', async () => {
    const published = await run(query('from audit_events\nwhere pipeline_id'))
    expect(published.map((row) => row.type)).toEqual([
      'VALIDATION_PASSED',
      'JOB_TRIGGERED',
      'SLA_WARNING',
      'SLA_BREACH',
      'JOB_COMPLETED',
    ])
    const recorded = await run(query('from events'))
    expect(recorded.length).toBeGreaterThan(published.length)
    expect(recorded.map((row) => row.type)).toContain('TimerRequested')
    const attempts = await run(query('from run_attempts'))
    expect(attempts).toMatchObject([
      { attempt_number: 1, status: 'succeeded', job_run_id: 'jr-2026-03-05-1' },
    ])
  })
})
