import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EvaluatorConfig } from '@interlock/domain'
import { type FakeServer, startFakeServer } from '@interlock/test'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAllowList } from '../outbound/address-policy.ts'
import { makeOutboundHttp, type OutboundHttp } from '../outbound/outbound-http.ts'
import { interlockEnvironment } from '../text/env-expansion.ts'
import { EVALUATOR_OUTPUT_LIMIT_BYTES } from './command-evaluator.ts'
import { makeEvaluatorRunner } from './evaluator-runner.ts'

const EXAMPLES = new URL('../../../../examples/evaluators/', import.meta.url).pathname
const run = { pipelineId: 'daily-sales-rollup', period: '2026-03-03', attemptId: 'a/1', sensorKey: 'k' }

let folder: string
let http: OutboundHttp
let server: FakeServer
let answers: Array<{ status: number; body?: unknown }> = []

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'interlock-evaluator-'))
  server = await startFakeServer(() => answers.shift() ?? { status: 200, body: { status: 'PASS' } })
  http = makeOutboundHttp({
    allowPrivateTargets: parseAllowList('127.0.0.1').ranges,
    circuitBreaker: { threshold: 2, coolDownMs: 60_000 },
  })
})
afterAll(async () => {
  await http.close()
  await server.close()
  await rm(folder, { recursive: true, force: true })
})

const runner = () =>
  makeEvaluatorRunner({
    http,
    commandPath: process.env.PATH ?? '/usr/bin:/bin',
    environment: interlockEnvironment({ INTERLOCK_WAREHOUSE_TOKEN: 'sekret-token' }),
  })
const evaluate = (evaluator: Record<string, unknown>) =>
  runner().evaluate(evaluator as unknown as EvaluatorConfig, run)

describe('the example evaluators of seed 001', () => {
  it('check-disk-space (shell) passes with the disk usage under the limit', async () => {
    const result = await evaluate({
      command: `${EXAMPLES}check-disk-space`,
      config: { path: '/', maxUsedPercent: 100 },
    })
    expect(result).toMatchObject({ status: 'PASS', reason: undefined, value: { maxUsedPercent: 100 } })
    expect(result.value.disk_pct).toEqual(expect.any(Number))
  })

  it('check-source-freshness (Python) compares the age of the source file with maxLagSeconds', async () => {
    const marker = join(folder, 'sales_events.ready')
    await writeFile(marker, '')
    const fresh = await evaluate({
      command: `python3 ${EXAMPLES}check-source-freshness`,
      config: { source: 'sales_events', path: marker, maxLagSeconds: 60 },
    })
    expect(fresh).toMatchObject({
      status: 'PASS',
      value: { source: 'sales_events', lagSeconds: expect.any(Number), threshold: 60 },
    })
    const missing = await evaluate({
      command: `python3 ${EXAMPLES}check-source-freshness`,
      config: { path: join(folder, 'absent') },
    })
    expect(missing).toMatchObject({ status: 'FAIL', value: { reason: expect.stringContaining('absent') } })
  })
})

describe('subprocess evaluators', () => {
  it('fails an answer longer than the output limit', async () => {
    const result = await evaluate({
      command: `python3 -c "print('x' * ${EVALUATOR_OUTPUT_LIMIT_BYTES + 10})"`,
    })
    expect(result).toEqual({
      status: 'FAIL',
      value: {},
      reason: `evaluator python3 printed more than ${EVALUATOR_OUTPUT_LIMIT_BYTES} bytes`,
    })
  })

  it('fails JSON that does not follow the protocol, naming the field', async () => {
    const result = await evaluate({ command: `echo '{"status":"OK"}'` })
    expect(result.status).toBe('FAIL')
    expect(result.reason).toMatch(
      /^the output of evaluator echo does not follow the evaluator protocol \(status: /,
    )
  })

  it('fails a program that does not exist', async () => {
    const result = await evaluate({ command: `${folder}/no-such-evaluator` })
    expect(result).toEqual({
      status: 'FAIL',
      value: {},
      reason: `evaluator ${folder}/no-such-evaluator did not start: ${folder}/no-such-evaluator: program not found`,
    })
  })

  it('runs without a shell and sees only PATH and the run variables', async () => {
    // Through a shell this would print the JSON into a file; without one, `>` is an argument echo prints.
    const unshelled = await evaluate({ command: `echo '{"status":"PASS"}' > ${folder}/redirected` })
    expect(unshelled.reason).toBe(
      `the output of evaluator echo is not JSON: {"status":"PASS"} > ${folder}/redirected; expected {"status":"PASS"|"FAIL","value":{…}}`,
    )
    const env = await evaluate({
      command: `node -e "console.log(JSON.stringify({ status: 'PASS', value: process.env }))"`,
    })
    expect(Object.keys(env.value).sort()).toEqual([
      'INTERLOCK_ATTEMPT_ID',
      'INTERLOCK_PERIOD',
      'INTERLOCK_PIPELINE_ID',
      'INTERLOCK_SENSOR_KEY',
      'PATH',
    ])
  })

  it('redacts INTERLOCK_ secrets out of the stderr it quotes', async () => {
    const result = await evaluate({ command: `sh -c "echo token sekret-token refused >&2; exit 1"` })
    expect(result.reason).toBe('evaluator sh exited with code 1: token [REDACTED] refused')
  })
})

describe('HTTP evaluators', () => {
  it('POSTs the config and reads the protocol from the answer', async () => {
    answers = [{ status: 200, body: { status: 'FAIL', value: { lag: 900 } } }]
    const result = await evaluate({ url: `${server.url}/freshness`, config: { maxLag: 60 } })
    expect(result).toEqual({ status: 'FAIL', value: { lag: 900 }, reason: undefined })
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/freshness',
      body: '{"maxLag":60}',
    })
  })

  it('fails an answer whose value holds text the log cannot store, naming where, instead of storing it', async () => {
    answers = [{ status: 200, body: { status: 'PASS', value: { rows: 10, note: 'a\u0000b' } } }]
    const result = await evaluate({ url: `${server.url}/freshness` })
    expect(result.status).toBe('FAIL')
    expect(result.value).toEqual({})
    expect(result.reason).toMatch(/answered value\.note, which holds a NUL character/)
  })

  it('fails an error status, then fails fast once the host breaker opens', async () => {
    const host = new URL(server.url).host
    answers = [{ status: 503, body: 'down for maintenance' }, { status: 502 }]
    expect((await evaluate({ url: `${server.url}/a` })).reason).toBe(
      `evaluator at ${host} answered status 503: down for maintenance`,
    )
    expect((await evaluate({ url: `${server.url}/b` })).reason).toBe(
      `evaluator at ${host} answered status 502`,
    )
    const calls = server.requests.length
    const refused = await evaluate({ url: `${server.url}/c` })
    expect(refused.reason).toMatch(
      new RegExp(
        `^evaluator at ${host} could not be reached: circuit open: ${host} failed 2 time\\(s\\) in a row`,
      ),
    )
    expect(server.requests).toHaveLength(calls)
  })

  it('refuses a private address the allow-list does not open (SSRF guard)', async () => {
    const guarded = makeEvaluatorRunner({
      http: makeOutboundHttp({ allowPrivateTargets: [] }),
      commandPath: '/usr/bin:/bin',
      environment: interlockEnvironment({}),
    })
    const result = await guarded.evaluate(
      { url: 'http://10.1.2.3/evaluate' } as unknown as EvaluatorConfig,
      run,
    )
    expect(result.reason).toContain('ssrf: connection to 10.1.2.3 blocked (private address)')
  })
})
