import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli.ts'
import type { CliIo } from './io.ts'

let folder: string
let project: string

const cli = async (argv: ReadonlyArray<string>, cwd: string, extra: Partial<CliIo> = {}) => {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: {},
    cwd,
    ...extra,
  })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'interlock-add-pipeline-'))
  project = join(folder, 'demo')
  expect((await cli(['init', 'demo'], folder)).code).toBe(0)
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('interlock add-pipeline', () => {
  it("from flags: writes the pipeline into the project's pipeline folder, from the project's archetype, valid", async () => {
    const answer = await cli(
      [
        'add-pipeline',
        '--id',
        'orders-daily',
        '--archetype',
        'example-batch',
        '--command',
        'sh ./jobs/orders.sh {{period}}',
      ],
      project,
    )
    expect(answer).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('created pipelines/orders-daily.yaml'),
    })
    const text = await readFile(join(project, 'pipelines', 'orders-daily.yaml'), 'utf8')
    expect(text).toContain('name: orders-daily\narchetype: example-batch\n')
    expect(text).toContain('#   source-freshness:\n#     evaluator: ./evaluators/check-source-freshness')
    expect(text).toContain('  command: "sh ./jobs/orders.sh {{period}}"')
    expect(await cli(['validate', 'pipelines'], project)).toMatchObject({ code: 0 })
  })

  it('asks for what the flags leave out on a terminal', async () => {
    const questions: string[] = []
    const answers = ['ml-features', 'ml-feature-pipeline']
    const answer = await cli(['add-pipeline', '--command', 'python train.py'], project, {
      ask: async (question) => {
        questions.push(question)
        return answers.shift() ?? ''
      },
    })
    expect(answer.code).toBe(0)
    expect(questions).toEqual([
      'pipeline id: ',
      'archetype (batch-ingestion, streaming-enrichment, ml-feature-pipeline, example-batch): ',
    ])
    expect(await readFile(join(project, 'pipelines', 'ml-features.yaml'), 'utf8')).toContain(
      'archetype: ml-feature-pipeline',
    )
  })

  it('refuses a missing flag off a terminal (2), an unknown archetype, a bad id and an existing file (1)', async () => {
    expect((await cli(['add-pipeline', '--id', 'x'], project)).code).toBe(2)
    const flags = (id: string, archetype = 'example-batch') => [
      'add-pipeline',
      '--id',
      id,
      '--archetype',
      archetype,
      '--command',
      'true',
    ]
    expect(await cli(flags('x', 'batch-ingest'), project)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('unknown archetype "batch-ingest"'),
    })
    expect(await cli(flags('../escape'), project)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not a pipeline id'),
    })
    expect(await cli(flags('orders-daily'), project)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('pipelines/orders-daily.yaml exists already'),
    })
  })
})
