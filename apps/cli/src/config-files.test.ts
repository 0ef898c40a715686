import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CommandFailed } from './cli-error.ts'
import { type ConfigFile, listConfigFiles, readConfigFiles } from './config-files.ts'

// The original's configuration and calendar loading cases (spec §6.8, §6.9), named after them, against the
// CLI's loader (`validate`, `apply` and `serve` read configs through it). Where this project rules
// differently, the test says which ruling: JSON configs are read too (issue 3: "YAML and JSON in"), and
// folders are searched recursively, so `examples/` with its pipelines/ and calendars/ loads in one go.

const pipeline = (id: string, owner = 'team-a') => `pipeline:
  id: ${id}
  owner: ${owner}
schedule:
  cron: "0 6 * * *"
  evaluation: { window: 1h, interval: 5m }
validation:
  trigger: ALL
  rules: [{ key: orders-landed, check: exists }]
job:
  type: glue
  config: { jobName: ${id}-etl }
`

async function folderWith(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'interlock-load-'))
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(folder, name, '..'), { recursive: true })
    await writeFile(join(folder, name), text)
  }
  return folder
}

const load = async (
  folder: string,
  paths: ReadonlyArray<string> = ['.'],
): Promise<ReadonlyArray<ConfigFile>> => readConfigFiles(folder, await listConfigFiles(folder, paths))

const summary = (configs: ReadonlyArray<ConfigFile>) =>
  configs.map((config) =>
    config.kind === 'invalid' ? `invalid ${config.file}` : `${config.kind} ${config.id}`,
  )

describe('loading pipelines (spec §6.8)', () => {
  it('TestLoadPipelines: one valid file is one pipeline', async () => {
    const folder = await folderWith({ 'pipe-a.yaml': pipeline('pipe-a') })
    expect(summary(await load(folder))).toEqual(['pipeline pipe-a'])
  })

  it('TestLoadPipelines_EmptyDir: nothing, and no error', async () => {
    expect(await load(await folderWith({}))).toEqual([])
  })

  it('TestLoadPipelines_InvalidYAML: the file is reported with the YAML error', async () => {
    const [config] = await load(await folderWith({ 'broken.yaml': '{{invalid' }))
    expect(config?.kind).toBe('invalid')
    expect(config?.kind === 'invalid' && config.issues[0]?.message).toContain('fix the YAML syntax')
  })

  it('TestLoadPipelines_MissingPipelineID: the issue names pipeline.id', async () => {
    const [config] = await load(
      await folderWith({ 'anonymous.yaml': pipeline('x').replace('  id: x\n', '') }),
    )
    expect(config?.kind === 'invalid' && config.issues.map((issue) => issue.path)).toContain('pipeline.id')
  })

  it('TestLoadPipelines_MultipleFiles: sorted by file name', async () => {
    const folder = await folderWith({ 'pipe-b.yaml': pipeline('pipe-b'), 'pipe-a.yaml': pipeline('pipe-a') })
    expect(summary(await load(folder))).toEqual(['pipeline pipe-a', 'pipeline pipe-b'])
  })

  it('TestLoadPipelines_IgnoresNonYAMLFiles: README.md and notes.txt are ignored; JSON is a config format here', async () => {
    const json = JSON.stringify({
      pipeline: { id: 'data' },
      schedule: { trigger: { key: 'k', check: 'exists' } },
      job: { type: 'command', config: { command: 'true' } },
    })
    const folder = await folderWith({
      'README.md': '# notes',
      'notes.txt': 'not a config',
      'data.json': json,
      'pipe-a.yaml': pipeline('pipe-a'),
    })
    expect(summary(await load(folder))).toEqual(['pipeline data', 'pipeline pipe-a'])
  })

  it('TestLoadPipelines_YMLExtension: .yml is read', async () => {
    expect(summary(await load(await folderWith({ 'pipe-a.yml': pipeline('pipe-a') })))).toEqual([
      'pipeline pipe-a',
    ])
  })

  it('TestLoadPipeline_SingleFile: a file named on its own is read', async () => {
    const folder = await folderWith({ 'pipe-a.yaml': pipeline('pipe-a'), 'pipe-b.yaml': pipeline('pipe-b') })
    expect(summary(await load(folder, ['pipe-b.yaml']))).toEqual(['pipeline pipe-b'])
  })

  it('TestLoadPipeline_FileNotFound and TestLoadPipelines_NonexistentDir: a missing path fails naming it', async () => {
    const folder = await folderWith({})
    for (const missing of ['missing.yaml', 'no-such-dir']) {
      const failure = await listConfigFiles(folder, [missing]).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(CommandFailed)
      expect((failure as CommandFailed).message).toBe(`${missing}: no such file or folder; check the path`)
    }
  })

  it('TestLoadPipelines_SkipsDirectories: a folder named like a file is searched, never read as one', async () => {
    const folder = await folderWith({ 'subdir.yaml/pipe-c.yaml': pipeline('pipe-c') })
    expect(summary(await load(folder))).toEqual(['pipeline pipe-c'])
  })

  it('refuses a file whose name differs from the pipeline id it holds (C1)', async () => {
    const [config] = await load(await folderWith({ 'orders.yaml': pipeline('orders-daily') }))
    expect(config?.kind).toBe('invalid')
    expect(config?.kind === 'invalid' && config.issues.map((issue) => issue.message).join(' ')).toContain(
      'orders-daily',
    )
  })
})

describe('loading calendars (spec §6.9)', () => {
  it('TestRegistry_LoadDir: .yaml and .yml calendars are read, README.md ignored, and pipelines may name them', async () => {
    const folder = await folderWith({
      'calendars/us-business.yaml': 'name: us-business\ndays: [Saturday, Sunday]\ndates: ["2026-07-03"]\n',
      'calendars/uk-business.yml': 'name: uk-business\ndates: ["2026-12-28"]\n',
      'calendars/README.md': '# calendars',
      'pipelines/pipe-a.yaml': pipeline('pipe-a').replace(
        'schedule:\n',
        'schedule:\n  calendar: us-business\n',
      ),
    })
    expect(summary(await load(folder))).toEqual([
      'calendar uk-business',
      'calendar us-business',
      'pipeline pipe-a',
    ])
  })

  it('TestRegistry_LoadFile_InvalidYAML: a calendar file that is not YAML is reported, not loaded', async () => {
    const configs = await load(await folderWith({ 'holidays.yaml': 'name: [unclosed' }))
    expect(configs.map((config) => config.kind)).toEqual(['invalid'])
  })

  it('an unknown calendar name in a pipeline is an error when calendars are known (C6)', async () => {
    const folder = await folderWith({
      'us-business.yaml': 'name: us-business\n',
      'pipe-a.yaml': pipeline('pipe-a').replace('schedule:\n', 'schedule:\n  calendar: us-busines\n'),
    })
    const pipelineFile = (await load(folder)).find((config) => config.file === 'pipe-a.yaml')
    expect(pipelineFile?.kind === 'invalid' && pipelineFile.issues.map((issue) => issue.path)).toContain(
      'schedule.calendar',
    )
  })
})
