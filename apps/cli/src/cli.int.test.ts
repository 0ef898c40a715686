import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliHarness, startCliHarness } from './testing/cli-harness.ts'

let h: CliHarness
beforeAll(async () => {
  h = await startCliHarness()
})
afterAll(async () => {
  await h?.close()
})

const DOWN = { INTERLOCK_URL: 'http://127.0.0.1:1' }
const hourReading = (hour: string) =>
  JSON.stringify({ status: 'COMPLETE', files: 3, date: '2026-03-04', hour })

describe('interlock (command line)', () => {
  it('help answers 0; no command or an unknown one is a usage error (2)', async () => {
    expect((await h.cli(['help'])).code).toBe(0)
    expect((await h.cli([])).code).toBe(2)
    const unknown = await h.cli(['frobnicate'])
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    })
    expect((await h.cli(['status', '--bogus'])).code).toBe(2)
  })

  it('validate: the examples pass; a bad file names file, path and message and exits 1', async () => {
    const ok = await h.cli(['validate', 'examples'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(
      'ok  examples/pipelines/silver-orders-daily.yaml (pipeline silver-orders-daily)',
    )
    const bad = join(h.folder, 'broken.yaml')
    await writeFile(bad, 'pipeline:\n  id: broken\n  ownr: me\njob:\n  type: command\n  config: {}\n')
    const answer = await h.cli(['validate', bad])
    expect(answer.code).toBe(1)
    expect(answer.stderr).toMatch(/broken\.yaml: pipeline\.ownr: .*did you mean "owner"/)
    expect(answer.stderr).toMatch(/broken\.yaml: job\.config\.command: /)
    const json = await h.cli(['validate', bad, '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: false, files: [{ kind: 'invalid' }] })
    expect((await h.cli(['validate', join(h.folder, 'missing.yaml')])).code).toBe(1)
    expect((await h.cli(['validate'])).code).toBe(2)
  })

  it('apply: registers pipelines through the API, unchanged the second time; an invalid file applies nothing', async () => {
    const answer = await h.cli(['apply', 'examples/pipelines'])
    expect(answer).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('unchanged bronze-orders-ingest v1'),
    })
    const changed = join(h.folder, 'bronze-orders-ingest.yaml')
    await writeFile(
      changed,
      'pipeline:\n  id: bronze-orders-ingest\n  description: changed\nschedule:\n  trigger: {key: raw-orders-landed, check: exists}\njob:\n  type: command\n  config: {command: node examples/jobs/local-job.mjs}\n',
    )
    // A second pipeline under another id, so the examples stay as they are for the other tests.
    const other = join(h.folder, 'scratch-pipeline.yaml')
    await writeFile(
      other,
      'pipeline:\n  id: scratch-pipeline\nschedule:\n  trigger: {key: go, check: exists}\njob:\n  type: command\n  config: {command: node examples/jobs/local-job.mjs}\n',
    )
    expect(await h.cli(['apply', other])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('applied   scratch-pipeline v1'),
    })
    const bad = join(h.folder, 'bad', 'x.yaml')
    await writeFile(join(h.folder, 'x.yaml'), 'pipeline: {id: x}\n')
    const refused = await h.cli(['apply', join(h.folder, 'x.yaml')])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('nothing applied')
    expect(bad).toContain('bad')
    expect((await h.cli(['apply', other], DOWN)).stderr).toContain('cannot reach the Interlock API')
  })

  it('apply: registers a calendar before the pipeline that names it, in one call', async () => {
    const folder = join(h.folder, 'with-calendar')
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, 'ops-freeze.yaml'), 'name: ops-freeze\ndates: ["2026-12-24"]\n')
    await writeFile(
      join(folder, 'frozen-orders.yaml'),
      'pipeline:\n  id: frozen-orders\nschedule:\n  calendar: ops-freeze\n  trigger: {key: go, check: exists}\njob:\n  type: command\n  config: {command: node examples/jobs/local-job.mjs}\n',
    )
    const answer = await h.cli(['apply', folder])
    expect(answer).toMatchObject({ code: 0, stderr: '' })
    expect(answer.stdout.split('\n')).toEqual([
      expect.stringContaining('applied   calendar ops-freeze v1'),
      expect.stringContaining('applied   frozen-orders v1'),
    ])
  })

  it('push: one reading triggers the bronze job for its hour; an unknown pipeline, bad data or API down fail', async () => {
    const pushed = await h.cli([
      'push',
      'bronze-orders-ingest',
      'raw-orders-landed#2026-03-04T07',
      '--data',
      hourReading('07'),
    ])
    expect(pushed.code).toBe(0)
    expect(pushed.stdout).toContain('default 2026-03-04T07: recorded')
    await h.server.processor.settle()
    const runs = await h.cli(['runs', 'bronze-orders-ingest', '--json'])
    expect(JSON.parse(runs.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ period: '2026-03-04T07', status: 'succeeded' })]),
    )
    const unknown = await h.cli(['push', 'no-such-pipeline', 'k', '--data', '{}'])
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('no-such-pipeline') })
    expect((await h.cli(['push', 'bronze-orders-ingest', 'k', '--data', 'not json'])).code).toBe(2)
    expect((await h.cli(['push', 'bronze-orders-ingest', 'k'])).code).toBe(2)
    expect((await h.cli(['push', 'bronze-orders-ingest', 'k', '--data', '{}'], DOWN)).code).toBe(1)
  })

  it('replay: folds a run from the log and prints the state after each event; an unknown run exits 1', async () => {
    await h.cli([
      'push',
      'bronze-orders-ingest',
      'raw-orders-landed#2026-03-04T11',
      '--data',
      hourReading('11'),
    ])
    await h.server.processor.settle()
    const replayed = await h.cli(['replay', 'bronze-orders-ingest', '2026-03-04T11'])
    expect(replayed.code).toBe(0)
    const lines = replayed.stdout.split('\n')
    expect(lines[0]).toMatch(/^ {3}1 {2}\S+ {2}SensorReadingRecorded +→ Idle, attempts 0$/)
    expect(lines.at(-1)).toMatch(/JobSucceeded +→ Completed, attempts 1$/)
    const json = JSON.parse(
      (await h.cli(['replay', 'bronze-orders-ingest', '2026-03-04T11', '--json'])).stdout,
    )
    expect(json.at(-1)).toMatchObject({ type: 'JobSucceeded', state: { lifecycle: { status: 'Completed' } } })
    expect(await h.cli(['replay', 'bronze-orders-ingest', '1999-01-01'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no events for run-bronze-orders-ingest-default-1999-01-01'),
    })
    expect((await h.cli(['replay', 'bronze-orders-ingest'])).code).toBe(2)
  })

  it('projections rebuild: the read models come back equal after the processor replays the log', async () => {
    await h.server.processor.settle()
    const before = (await h.cli(['runs', 'bronze-orders-ingest', '--json'])).stdout
    expect(await h.cli(['projections', 'rebuild'])).toMatchObject({ code: 0, stderr: '' })
    await h.server.processor.settle()
    expect((await h.cli(['runs', 'bronze-orders-ingest', '--json'])).stdout).toEqual(before)
    expect((await h.cli(['projections', 'drop'])).code).toBe(2)
  })

  it('push --file: batches NDJSON readings; a rejected line exits 1 naming it', async () => {
    const ok = await h.cli(['push', '--file', 'examples/sensors/bronze-hour.ndjson'])
    expect(ok).toMatchObject({ code: 0, stdout: 'pushed 2 of 2 reading(s)' })
    expect(ok.stderr).toContain('[##############################] 2/2')
    const file = join(h.folder, 'mixed.ndjson')
    await writeFile(
      file,
      `${JSON.stringify({ pipelineId: 'bronze-orders-ingest', key: 'raw-orders-landed#2026-03-04T09', data: JSON.parse(hourReading('09')) })}\n${JSON.stringify({ pipelineId: 'nope', key: 'k', data: {} })}\n`,
    )
    const mixed = await h.cli(['push', '--file', file])
    expect(mixed.code).toBe(1)
    expect(mixed.stderr).toContain('reading 2 (nope k): 404')
    await writeFile(file, 'not json\n')
    expect(await h.cli(['push', '--file', file])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('mixed.ndjson:1: not JSON'),
    })
    expect((await h.cli(['push', '--file', join(h.folder, 'none.ndjson')])).code).toBe(1)
  })

  it('status, runs, events and explain read through the API, as tables or --json', async () => {
    await h.cli([
      'push',
      'bronze-orders-ingest',
      'raw-orders-landed#2026-03-04T08',
      '--data',
      hourReading('08'),
    ])
    await h.server.processor.settle()
    const status = await h.cli(['status'])
    expect(status.code).toBe(0)
    expect(status.stdout.split('\n')[0]).toMatch(
      /^PIPELINE\s+STATUS\s+LAST PERIOD\s+STATE\s+READY NOW\s+SLA$/,
    )
    expect(status.stdout).toMatch(/bronze-orders-ingest\s+active\s+2026-03-04T\d\d\s+succeeded/)
    expect(status.stdout).toMatch(/gold-revenue-preview\s+active \(dry run\)/)
    const one = await h.cli(['status', 'silver-orders-daily', '--json'])
    expect(JSON.parse(one.stdout)).toEqual([
      expect.objectContaining({ pipelineId: 'silver-orders-daily', lastPeriod: null }),
    ])
    expect((await h.cli(['status', 'no-such-pipeline'])).code).toBe(1)
    const runs = await h.cli(['runs', 'bronze-orders-ingest'])
    expect(runs.stdout).toMatch(/2026-03-04T08\s+default\s+succeeded\s+1/)
    expect((await h.cli(['runs', 'no-such-pipeline'])).code).toBe(1)
    const events = await h.cli([
      'events',
      '--type',
      'JOB_COMPLETED',
      '--pipeline',
      'bronze-orders-ingest',
      '--json',
    ])
    expect(JSON.parse(events.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'JOB_COMPLETED', period: '2026-03-04T08' })]),
    )
    expect((await h.cli(['events', '--type', 'lower-case'])).code).toBe(1)
    expect((await h.cli(['events', '--limit', 'zero'])).code).toBe(2)
    const explain = await h.cli(['explain', 'bronze-orders-ingest', '2026-03-04T08'])
    expect(explain.code).toBe(0)
    expect(explain.stdout).toContain('raw-orders-landed.files gt 0')
    expect((await h.cli(['explain', 'no-such-pipeline', '2026-03-04T08'])).code).toBe(1)
    expect((await h.cli(['explain', 'bronze-orders-ingest'])).code).toBe(2)
    expect((await h.cli(['status'], DOWN)).code).toBe(1)
  })

  it('rerun: accepted for a finished run, exit 1 when rejected or unknown', async () => {
    await h.cli([
      'push',
      'bronze-orders-ingest',
      'raw-orders-landed#2026-03-04T10',
      '--data',
      hourReading('10'),
    ])
    await h.server.processor.settle()
    const accepted = await h.cli(['rerun', 'bronze-orders-ingest', '2026-03-04T10', '--reason', 'late files'])
    expect(accepted).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('rerun bronze-orders-ingest 2026-03-04T10: accepted'),
    })
    const never = await h.cli(['rerun', 'bronze-orders-ingest', '2026-01-01T01', '--reason', 'x'])
    expect(never.code).toBe(1)
    expect((await h.cli(['rerun', 'no-such-pipeline', '2026-03-04T10', '--reason', 'x'])).code).toBe(1)
    expect((await h.cli(['rerun', 'bronze-orders-ingest'])).code).toBe(2)
  })

  it('dlq list answers the (empty) dead letters; redrive of an unknown id fails', async () => {
    const list = await h.cli(['dlq', 'list', '--json'])
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual([])
    expect((await h.cli(['dlq', 'redrive', '999999'])).code).toBe(1)
    expect((await h.cli(['dlq'])).code).toBe(2)
  })

  it('token create, list and revoke work on the database directly; the new token reads the API', async () => {
    const created = await h.cli(['token', 'create', '--scope', 'read', '--name', 'dashboards', '--json'])
    expect(created.code).toBe(0)
    const token = JSON.parse(created.stdout) as { token: string; id: string }
    const readable = await h.cli(['status', '--token', token.token])
    expect(readable.stderr).toBe('')
    expect(readable.code).toBe(0)
    expect(
      (await h.cli(['push', 'bronze-orders-ingest', 'k', '--data', '{}', '--token', token.token])).code,
    ).toBe(1)
    const list = await h.cli(['token', 'list'])
    expect(list.stdout).toMatch(new RegExp(`${token.id}\\s+dashboards\\s+read`))
    expect(await h.cli(['token', 'revoke', token.id])).toMatchObject({
      code: 0,
      stdout: `revoked ${token.id} (dashboards)`,
    })
    const refused = await h.cli(['status', '--token', token.token])
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('refused the token (401)') })
    expect((await h.cli(['token', 'revoke', 'tok_000000000000'])).code).toBe(1)
    expect((await h.cli(['token', 'create'])).code).toBe(2)
    expect((await h.cli(['token', 'create', '--scope', 'root'])).code).toBe(2)
    expect((await h.cli(['token', 'frob'])).code).toBe(2)
  })

  it('migrate reports the database up to date', async () => {
    expect(await h.cli(['migrate'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Database is up to date \(migration \d+\)\.$/),
    })
  })
})
