import { describe, expect, it } from 'vitest'
import { ScriptedFaults, unavailable } from './scripted-faults.ts'
import { after, ScriptedRuns } from './scripted-runs.ts'

describe('ScriptedRuns', () => {
  it('reports the scripted states poll by poll, repeats the last, and pins a cancelled run', () => {
    const runs = new ScriptedRuns<'RUNNING' | 'DONE' | 'STOPPED'>('r-', { states: ['DONE'] })
    runs.next({ states: after(2, 'RUNNING', 'DONE') })
    const first = runs.start({})
    const second = runs.start({})
    expect([runs.poll(first), runs.poll(first), runs.poll(first), runs.poll(first)]).toEqual([
      'RUNNING',
      'RUNNING',
      'DONE',
      'DONE',
    ])
    expect(runs.poll(second)).toBe('DONE')
    runs.cancel(second, 'STOPPED')
    expect(runs.poll(second)).toBe('STOPPED')
    expect([first.id, second.id]).toEqual(['r-0001', 'r-0002'])
  })
})

describe('ScriptedFaults', () => {
  it('hands out queued faults in order, then none', () => {
    const faults = new ScriptedFaults()
    faults.next('StartJobRun', unavailable, unavailable)
    expect([faults.take('StartJobRun'), faults.take('StartJobRun'), faults.take('StartJobRun')]).toEqual([
      unavailable,
      unavailable,
      undefined,
    ])
    expect(faults.take('GetJobRun')).toBeUndefined()
  })
})
