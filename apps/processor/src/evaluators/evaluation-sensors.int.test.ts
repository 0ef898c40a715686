import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { explainRun, formatExplanation, type RunEvent } from '@interlock/domain'
import { type FakeServer, HANG, startFakeServer } from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processorConfig } from '../config.ts'
import { type Processor, startProcessor } from '../processor.ts'

// Active evaluators (C15) on a real processor: subprocess evaluators written as shell scripts, HTTP ones
// served by a local server, each result recorded as a sensor reading before the evaluation decides on it.
const T0 = Date.parse('2026-01-05T06:00:00Z')
const SCRIPTS: Record<string, string> = {
  'pass.sh': 'input=$(cat)\nprintf \'{"status":"PASS","value":{"input":%s,"lagSeconds":45}}\' "$input"\n',
  'fail.sh': 'cat > /dev/null\necho \'{"status":"FAIL","value":{"lagSeconds":900}}\'\n',
  'crash.sh': 'echo "cannot reach the warehouse" >&2\nexit 3\n',
  'garbage.sh': 'echo "all good, probably"\n',
  'slow.sh': 'sleep 5\necho \'{"status":"PASS"}\'\n',
}

let database: TestDatabase
let processor: Processor
let folder: string
let evaluatorHost: FakeServer
let slowHost: FakeServer

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'interlock-evaluators-'))
  for (const [name, body] of Object.entries(SCRIPTS)) {
    await writeFile(join(folder, name), `#!/bin/sh\n${body}`)
    await chmod(join(folder, name), 0o755)
  }
  evaluatorHost = await startFakeServer(() => ({
    status: 200,
    body: { status: 'PASS', value: { rows: 1200 } },
  }))
  slowHost = await startFakeServer(() => HANG)
  database = await createTestDatabase()
  processor = await startProcessor(
    processorConfig(database.url, {
      INTERLOCK_CLOCK: 'simulated',
      INTERLOCK_CLOCK_START: new Date(T0).toISOString(),
      INTERLOCK_ALLOW_PRIVATE_TARGETS: '127.0.0.1/32',
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    }),
  )
})
afterAll(async () => {
  await processor?.stop()
  await database?.drop()
  await Promise.all([evaluatorHost?.close(), slowHost?.close()])
  await rm(folder, { recursive: true, force: true })
})

const pipeline = (id: string, rules: ReadonlyArray<string>) => `
pipeline: { id: ${id} }
schedule:
  timezone: UTC
  trigger: { key: orders-landed, check: exists }
  evaluation: { window: 1h, interval: 5m }
validation:
  trigger: ALL
  rules:
${rules.map((rule) => `    - ${rule}`).join('\n')}
job:
  type: command
  config: { command: "true" }
`
const passes = (key: string, evaluator: string) =>
  `{ key: ${key}, check: equals, field: status, value: PASS, evaluator: ${evaluator} }`

const openPeriod = async (pipelineId: string) => {
  await processor.bus.recordSensor(
    { pipelineId, key: 'orders-landed', data: { date: '2026-01-05' } },
    { actor: 'test' },
  )
  await processor.settle()
}
const runEvents = async (pipelineId: string): Promise<ReadonlyArray<RunEvent>> =>
  (await processor.store.readStream(`run-${pipelineId}-default-2026-01-05`)).map(
    (recorded) => recorded.event as RunEvent,
  )
const evaluations = async (pipelineId: string) =>
  (await runEvents(pipelineId)).filter((event) => event._tag === 'RunEvaluated')

describe('active evaluators', () => {
  it('records PASS, FAIL, timeout, crash and garbage as readings with reasons before the evaluation decides', async () => {
    const id = 'orders-evaluated'
    const registered = await processor.bus.registerPipeline(
      pipeline(id, [
        passes(
          'passing',
          `{ command: "${folder}/pass.sh", config: { source: sales_events, maxLagSeconds: 300 } }`,
        ),
        `{ key: passing, check: lte, field: lagSeconds, value: 300 }`,
        passes('failing', `{ command: "${folder}/fail.sh" }`),
        passes('crashing', `{ command: "${folder}/crash.sh" }`),
        passes('garbled', `{ command: "${folder}/garbage.sh" }`),
        passes('hanging', `{ command: "${folder}/slow.sh", timeout: 300ms }`),
        passes('remote', `{ url: "${evaluatorHost.url}/evaluate", config: { table: orders } }`),
        passes('remote-slow', `{ url: "${slowHost.url}/evaluate", timeout: 300ms }`),
      ]),
      { actor: 'test' },
    )
    expect(registered._tag).toBe('Right')
    await openPeriod(id)

    const [first] = await evaluations(id)
    expect(first?.passed).toBe(false)
    const verdicts = Object.fromEntries(
      (first?.ruleResults ?? []).map((result) => [`${result.key}.${result.field}`, result.passed]),
    )
    expect(verdicts).toEqual({
      'passing.status': true,
      'passing.lagSeconds': true,
      'failing.status': false,
      'crashing.status': false,
      'garbled.status': false,
      'hanging.status': false,
      'remote.status': true,
      'remote-slow.status': false,
    })
    const snapshot = first?.sensorSnapshot ?? {}
    expect(snapshot.passing).toEqual({
      status: 'PASS',
      input: { source: 'sales_events', maxLagSeconds: 300 },
      lagSeconds: 45,
      source: 'evaluator',
      updatedAt: '2026-01-05T06:00:00.000Z',
    })
    expect(snapshot.failing).toMatchObject({ status: 'FAIL', lagSeconds: 900, source: 'evaluator' })
    expect(snapshot.failing).not.toHaveProperty('reason')
    expect(snapshot.crashing).toMatchObject({
      status: 'FAIL',
      reason: `evaluator ${folder}/crash.sh exited with code 3: cannot reach the warehouse`,
    })
    expect(snapshot.garbled).toMatchObject({
      status: 'FAIL',
      reason: `the output of evaluator ${folder}/garbage.sh is not JSON: all good, probably; expected {"status":"PASS"|"FAIL","value":{…}}`,
    })
    expect(snapshot.hanging).toMatchObject({
      status: 'FAIL',
      reason: `evaluator ${folder}/slow.sh timed out after 300 ms and was killed`,
    })
    expect(snapshot.remote).toMatchObject({ status: 'PASS', rows: 1200, source: 'evaluator' })
    expect(snapshot['remote-slow']).toMatchObject({
      status: 'FAIL',
      reason: `evaluator at ${new URL(slowHost.url).host} did not answer within 300 ms`,
    })
    expect(evaluatorHost.requests.map((request) => [request.method, request.path, request.body])).toEqual([
      ['POST', '/evaluate', '{"table":"orders"}'],
    ])

    const explanation = formatExplanation(
      explainRun(await runEvents(id), { pipelineId: id, scheduleId: 'default', period: '2026-01-05' }),
    )
    expect(explanation).toContain('sensor crashing recorded')
    expect(explanation).toContain('✘ crashing.status equals "PASS" (actual "FAIL")')
    expect(explanation).toContain('exited with code 3: cannot reach the warehouse')
    expect(explanation).toContain('timed out after 300 ms and was killed')
  })

  it('runs the evaluators again at every evaluation, and starts the job once they all pass', async () => {
    const id = 'orders-ready-by-evaluators'
    const asked = () => evaluatorHost.requests.filter((request) => request.path === `/${id}`).length
    await processor.bus.registerPipeline(
      pipeline(id, [
        passes('passing', `{ command: "${folder}/pass.sh" }`),
        passes('remote', `{ url: "${evaluatorHost.url}/${id}" }`),
        `{ key: late-check, check: exists }`,
      ]),
      { actor: 'test' },
    )
    await openPeriod(id)
    expect(asked()).toBe(1)
    expect((await evaluations(id)).map((event) => event.passed)).toEqual([false])

    await processor.advanceTo(T0 + 5 * 60_000)
    expect(asked()).toBe(2)
    await processor.bus.recordSensor(
      { pipelineId: id, key: 'late-check', data: { date: '2026-01-05' } },
      { actor: 'test' },
    )
    await processor.advanceTo(T0 + 10 * 60_000)
    expect(asked()).toBe(3)
    const all = await runEvents(id)
    expect(all.filter((event) => event._tag === 'RunEvaluated').map((event) => event.passed)).toEqual([
      false,
      false,
      true,
    ])
    expect(all.some((event) => event._tag === 'JobStartRequested')).toBe(true)
    // The readings of each tick are recorded once, however often the tick is delivered.
    expect(
      all.filter((event) => event._tag === 'SensorReadingRecorded' && event.key === 'remote'),
    ).toHaveLength(3)
  })
})
