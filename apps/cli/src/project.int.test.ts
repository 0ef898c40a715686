import { type ChildProcess, spawn } from 'node:child_process'
import { access, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTestDatabase, type TestDatabase } from '@interlock/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli.ts'
import { SCAFFOLD } from './init-command.ts'
import { REPO_ROOT } from './paths.ts'

/**
 * Seed 001's quick start: `interlock init demo && cd demo && interlock serve`, then `interlock evaluate` and
 * `interlock run` in that folder, which find the API's token through the project (its .interlock folder).
 */
let folder: string
let demo: string
let database: TestDatabase
let child: ChildProcess
let url: string
let stdout = ''
let stderr = ''

const cli = async (argv: ReadonlyArray<string>, cwd = demo) => {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    // The API port is chosen by the system here; everything else comes from the project.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(url === undefined ? {} : { INTERLOCK_URL: url }) },
    cwd,
  })
  return { code, stdout: out.join('\n'), stderr: err.join('\n') }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'interlock-project-'))
  demo = join(folder, 'demo')
  database = await createTestDatabase()
}, 60_000)

afterAll(async () => {
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  await database?.drop()
  await rm(folder, { recursive: true, force: true })
}, 60_000)

describe('interlock init demo && cd demo && interlock serve', () => {
  it('init scaffolds config, archetype, pipeline, evaluator and calendar; a folder in use is refused', async () => {
    const answer = await cli(['init', 'demo'], folder)
    expect(answer.code).toBe(0)
    for (const file of SCAFFOLD) await access(join(demo, file.path))
    expect(answer.stdout).toContain('created demo/interlock.yaml')
    expect(answer.stdout).toContain('created demo/evaluators/check-source-freshness')
    expect(await cli(['init', 'demo'], folder)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('demo is not empty'),
    })
    const valid = await cli(['validate', 'pipelines'])
    expect(valid).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('ok  pipelines/example.yaml (pipeline example)'),
    })
  })

  it('serve in the folder runs the project: its calendar and pipeline loaded, its token kept in .interlock', async () => {
    child = spawn(process.execPath, [join(REPO_ROOT, 'apps/cli/src/main.ts'), 'serve'], {
      cwd: demo,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? folder,
        DATABASE_URL: database.url,
        INTERLOCK_API_PORT: '0',
      },
    })
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk)
    })
    url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk) => {
        stdout += String(chunk)
        const found = /API\s+(http:\/\/\S+)\/api\n/.exec(stdout)
        if (found?.[1] !== undefined && stdout.includes('Stop: Ctrl-C')) resolve(found[1])
      })
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
    })
    expect(stderr).toContain('project: 1 calendar(s) and 1 pipeline(s) from calendars, archetypes, pipelines')
    expect(stdout).toContain('interlock evaluate <pipeline>')
    expect((await readFile(join(demo, '.interlock', 'admin-token'), 'utf8')).trim()).toMatch(/^ilk_/)
  }, 120_000)

  it('evaluate: runs the evaluator, NOT_READY naming only the trait the upstream has not pushed (exit 1)', async () => {
    const answer = await cli(['evaluate', 'example'])
    expect(answer.code).toBe(1)
    expect(answer.stdout).toMatch(/^NOT_READY {2}example /)
    expect(answer.stdout).toContain('- upstream-dependency equals status: ')
    // The evaluator ran (as seed 001's evaluate runs it): source-freshness passes and does not block.
    expect(answer.stdout).toMatch(/: 1 of 3 rules block\n/)
    expect(answer.stdout).not.toContain('source-freshness')
  })

  it("run: the project's evaluator runs first (source-freshness), so the pushed upstream is all it needs; the job succeeds (exit 0)", async () => {
    const pushed = await cli(['push', 'example', 'upstream-dependency', '--data', '{"status":"PASS"}'])
    expect(pushed.code).toBe(0)
    const run = await cli(['run', 'example'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout.split('\n')[0]).toMatch(/^READY {2}example \S+: 3 rules pass$/)
    expect(run.stdout.split('\n').at(-1)).toMatch(/^example \S+: succeeded attempt 1 job /)
    // The evaluator's reading is an ordinary sensor reading now: evaluate reads it too.
    expect(await cli(['evaluate', 'example'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^READY {2}example /),
    })
  }, 60_000)

  it("alerts go to the project's file sink (alerts.log)", async () => {
    let text = ''
    for (let poll = 0; poll < 100 && !text.includes('JOB_COMPLETED'); poll++) {
      text = await readFile(join(demo, 'alerts.log'), 'utf8').catch(() => '')
      if (!text.includes('JOB_COMPLETED')) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(text).toContain('JOB_COMPLETED')
  }, 30_000)
})
