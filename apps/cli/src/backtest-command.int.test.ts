import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXAMPLES_DIR } from './paths.ts'
import { type CliHarness, startCliHarness } from './testing/cli-harness.ts'

const PIPELINE = 'bronze-orders-ingest'
let h: CliHarness
let live: string

const push = (hour: string, files: number) =>
  h.cli([
    'push',
    PIPELINE,
    `raw-orders-landed#2026-03-04T${hour}`,
    '--data',
    JSON.stringify({ status: 'COMPLETE', files, date: '2026-03-04', hour }),
  ])

beforeAll(async () => {
  h = await startCliHarness()
  live = await readFile(join(EXAMPLES_DIR, 'pipelines', `${PIPELINE}.yaml`), 'utf8')
  await push('08', 3)
  await push('09', 1)
  await push('10', 5)
  await h.server.processor.settle()
})
afterAll(async () => {
  await h?.close()
})

const candidate = async (name: string, text: string) => {
  const file = join(h.folder, name)
  await writeFile(file, text)
  return file
}

describe('interlock backtest', () => {
  it('reports no difference for the live config itself', async () => {
    const answer = await h.cli(['backtest', PIPELINE, '--config', await candidate('same.yaml', live)])
    expect(answer).toMatchObject({ code: 0, stderr: '' })
    expect(answer.stdout).toBe(
      '3 period(s) compared, 0 differ: triggered earlier 0, later 0, never 0, newly 0; SLA verdict changes 0',
    )
  })

  it('prints the periods a stricter rule would have held, and the rule', async () => {
    const stricter = await candidate('stricter.yaml', live.replace('value: 0', 'value: 2'))
    const answer = await h.cli(['backtest', PIPELINE, '--config', stricter, '--from', '2026-03-04'])
    expect(answer.code).toBe(0)
    const lines = answer.stdout.split('\n')
    expect(lines[0]).toMatch(/^PERIOD\s+SCHEDULE\s+LIVE\s+TRIGGERED\s+CANDIDATE/)
    expect(lines[1]).toMatch(
      /^2026-03-04T09\s+default\s+succeeded\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+running \(raw-orders-landed\.files gt 2\)\s+-/,
    )
    expect(lines.slice(2)).toEqual([
      '3 period(s) compared, 1 differ: triggered earlier 0, later 0, never 1, newly 0; SLA verdict changes 0',
      'blocked most often (candidate): raw-orders-landed.files gt 2 (1)',
    ])
    const json = await h.cli(['backtest', PIPELINE, '--config', stricter, '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ pipelineId: PIPELINE, summary: { neverTriggered: 1 } })
  })

  it('is a usage error without --config, and fails naming the file it cannot read', async () => {
    expect((await h.cli(['backtest', PIPELINE])).code).toBe(2)
    const missing = await h.cli(['backtest', PIPELINE, '--config', join(h.folder, 'nope.yaml')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('cannot read the candidate config')
    const unknown = await h.cli(['backtest', 'no-such-pipeline', '--config', await candidate('x.yaml', live)])
    expect(unknown.code).toBe(1)
  })
})
