import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliHarness, startCliHarness } from './testing/cli-harness.ts'

let h: CliHarness
beforeAll(async () => {
  h = await startCliHarness()
  // No trigger: only `run` (seed 001's evaluate + trigger) opens a period, so pushed readings start nothing.
  const pipeline = (id: string, command: string) => `pipeline: { id: ${id} }
validation:
  rules:
    - { key: source-freshness, check: equals, field: status, value: PASS }
job:
  type: command
  config: { command: "${command}" }
  maxRetries: 0
  maxCodeRetries: 0
`
  await writeFile(
    join(h.folder, 'on-demand.yaml'),
    pipeline('on-demand', 'node examples/jobs/local-job.mjs --step on-demand --work-ms 50'),
  )
  await writeFile(
    join(h.folder, 'on-demand-failing.yaml'),
    pipeline('on-demand-failing', 'no-such-program-interlock --period {{period}}'),
  )
  await writeFile(
    join(h.folder, 'ready-only.yaml'),
    `pipeline: { id: ready-only }
validation:
  rules:
    - { key: source-freshness, check: equals, field: status, value: PASS }
job: { type: none }
`,
  )
  expect((await h.cli(['apply', h.folder])).code).toBe(0)
})
afterAll(async () => {
  await h?.close()
})

const pass = JSON.stringify({ status: 'PASS' })

describe('interlock evaluate <pipeline>', () => {
  it('NOT_READY with each blocking rule and its reason, exit 1; READY exit 0 once the sensor passes', async () => {
    const blocked = await h.cli(['evaluate', 'on-demand'])
    expect(blocked.code).toBe(1)
    expect(blocked.stdout).toMatch(
      /^NOT_READY {2}on-demand \d{4}-\d{2}-\d{2}: 1 of 1 rules block\n {2}- source-freshness equals status: /,
    )
    await h.cli(['push', 'on-demand', 'source-freshness', '--data', pass])
    const ready = await h.cli(['evaluate', 'on-demand'])
    expect(ready).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^READY {2}on-demand \S+: 1 rules pass$/),
    })
    const json = await h.cli(['evaluate', 'on-demand', '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ pipelineId: 'on-demand', passed: true })
  })

  it('an unknown pipeline exits 1 naming it; a missing argument is a usage error', async () => {
    expect(await h.cli(['evaluate', 'nowhere'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('404'),
    })
    expect((await h.cli(['evaluate'])).code).toBe(2)
  })
})

describe('interlock run <pipeline>', () => {
  it('not ready: prints the blocking rules, starts nothing, exit 1', async () => {
    const answer = await h.cli(['run', 'on-demand-failing', '--period', '2026-03-01'])
    expect(answer.code).toBe(1)
    expect(answer.stdout).toContain('NOT_READY  on-demand-failing 2026-03-01: 1 of 1 rules block')
    // The evaluation is recorded (the run log may show the period waiting), but no attempt started.
    const runs = await h.cli(['runs', 'on-demand-failing', '--json'])
    const rows = JSON.parse(runs.stdout) as ReadonlyArray<{ attemptCount: number }>
    expect(rows.map((row) => row.attemptCount).filter((count) => count > 0)).toEqual([])
  })

  it('ready: triggers, follows the job with one plain line per change when piped, exit 0 on success', async () => {
    const answer = await h.cli(['run', 'on-demand'])
    expect(answer.stderr).toBe('')
    expect(answer.code).toBe(0)
    const lines = answer.stdout.split('\n')
    expect(lines[0]).toMatch(/^READY {2}on-demand \S+: 1 rules pass$/)
    expect(lines[1]).toMatch(/^triggered on-demand\/default\/\S+\/1$/)
    expect(lines.at(-1)).toMatch(/^on-demand \S+: succeeded attempt 1 job \S+ \(\d+s\)$/)
    // A second run of the same period is refused: it already ran.
    const again = await h.cli(['run', 'on-demand'])
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('has already run (Completed)') })
  })

  it('a readiness-only pipeline: says it is ready with no job to start, follows the run to succeeded, exit 0', async () => {
    await h.cli(['push', 'ready-only', 'source-freshness', '--data', pass])
    const answer = await h.cli(['run', 'ready-only'])
    expect(answer.stderr).toBe('')
    expect(answer.code).toBe(0)
    const lines = answer.stdout.split('\n')
    expect(lines[1]).toMatch(/^ready ready-only\/default\/\S+\/1 \(readiness-only: no job to start\)$/)
    expect(lines.at(-1)).toMatch(/^ready-only \S+: succeeded attempt 1/)
  })

  // A program that does not exist is a PERMANENT trigger failure: never retried, so the run fails at once.
  it('a failing job: the status line ends failed, exit 1 with the reason', async () => {
    await h.cli([
      'push',
      'on-demand-failing',
      'source-freshness',
      '--data',
      JSON.stringify({ status: 'PASS', date: '2026-03-02' }),
    ])
    const answer = await h.cli(['run', 'on-demand-failing', '--period', '2026-03-02', '--wait', '60'])
    expect(answer.code).toBe(1)
    expect(answer.stdout.split('\n').at(-1)).toMatch(/^on-demand-failing 2026-03-02: failed attempt 1/)
    expect(answer.stderr).toMatch(/^interlock: on-demand-failing 2026-03-02 failed/)
  })

  it('rewrites one live status line on a terminal', async () => {
    await h.cli([
      'push',
      'on-demand',
      'source-freshness',
      '--data',
      JSON.stringify({ status: 'PASS', date: '2026-03-03' }),
    ])
    const live: string[] = []
    const answer = await h.cliWith(['run', 'on-demand', '--period', '2026-03-03'], {
      live: (text) => live.push(text),
    })
    expect(answer.code).toBe(0)
    expect(live.at(-1)).toBe('')
    expect(live.some((line) => line.startsWith('on-demand 2026-03-03: '))).toBe(true)
    expect(answer.stdout.split('\n').at(-1)).toMatch(/^on-demand 2026-03-03: succeeded/)
  })
})

describe('several schedules (C14)', () => {
  it('evaluate and run name the schedule; without one the API lists them; explain follows it', async () => {
    await writeFile(
      join(h.folder, 'two-windows.yaml'),
      `pipeline: { id: two-windows }
schedules:
  - { name: morning, timezone: UTC }
  - { name: evening, timezone: UTC }
validation:
  rules:
    - { key: source-freshness, check: equals, field: status, value: PASS }
job:
  type: command
  config: { command: "node examples/jobs/local-job.mjs --step two-windows --work-ms 50" }
`,
    )
    expect((await h.cli(['apply', join(h.folder, 'two-windows.yaml')])).code).toBe(0)
    const unnamed = await h.cli(['evaluate', 'two-windows'])
    expect(unnamed).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("name one of the pipeline's schedules: morning, evening"),
    })
    await h.cli([
      'push',
      'two-windows',
      'source-freshness',
      '--data',
      JSON.stringify({ status: 'PASS', date: '2026-03-05' }),
    ])
    const evening = await h.cli(['run', 'two-windows', '--schedule', 'evening', '--period', '2026-03-05'])
    expect(evening.code).toBe(0)
    expect(evening.stdout.split('\n')[0]).toBe('READY  two-windows 2026-03-05 (evening): 1 rules pass')
    expect(evening.stdout).toContain('triggered two-windows/evening/2026-03-05/1')
    const trace = await h.cli(['explain', 'two-windows', '2026-03-05', '--schedule', 'evening'])
    expect(trace.code).toBe(0)
    expect(trace.stdout).toContain('two-windows/evening/2026-03-05/1')
    // The morning run of the same day is its own: it holds the reading, and no attempt.
    const morning = await h.cli(['explain', 'two-windows', '2026-03-05', '--schedule', 'morning'])
    expect(morning.code).toBe(0)
    expect(morning.stdout).toContain('source-freshness')
    expect(morning.stdout).not.toContain('two-windows/morning/2026-03-05/1')
  })
})
