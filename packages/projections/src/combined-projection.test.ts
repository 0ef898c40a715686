import type { RawEvent } from '@interlock/eventstore'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { combineProjections } from './combined-projection.ts'
import type { Projection } from './projection.ts'

const writes = (name: string, tables: ReadonlyArray<string>, log: Array<string>): Projection<RawEvent> => ({
  name,
  tables,
  apply: async (events) => {
    log.push(`${name}:${events.length}`)
  },
})

describe('combineProjections', () => {
  it('applies each batch to every member in order, and owns all their tables', async () => {
    const log: Array<string> = []
    const combined = combineProjections('both', [
      writes('a', ['a_rows'], log),
      writes('b', ['b_rows', 'b_more'], log),
    ])
    expect(combined.tables).toEqual(['a_rows', 'b_rows', 'b_more'])
    // An unconnected client: the members here never touch it.
    await combined.apply([], new pg.Client())
    expect(log).toEqual(['a:0', 'b:0'])
  })

  it('refuses two members that write one table', () => {
    expect(() => combineProjections('both', [writes('a', ['rows'], []), writes('b', ['rows'], [])])).toThrow(
      'table rows belongs to two of the projections combined as both; each table has one projection',
    )
  })
})
