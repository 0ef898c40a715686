import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parsePipelineConfig } from '@interlock/domain'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from './paths.ts'
import { type CliHarness, startCliHarness } from './testing/cli-harness.ts'

// The README shows commands, curl lines, a pipeline and SQL: every one of them is run here as written,
// against a server started as `npm start` starts it, so the README cannot drift from the code.

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
const blocks = (language: string) =>
  [...README.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1]!)
const shellLines = blocks('sh').flatMap((block) => block.split('\n').map((line) => line.trim()))

/** Splits a command line into words the way the shell would for these lines: spaces, and single quotes. */
const words = (line: string) => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]!)

let h: CliHarness
beforeAll(async () => {
  h = await startCliHarness()
})
afterAll(async () => {
  await h?.close()
})

describe('README', () => {
  it('shows a pipeline config that loads as written', () => {
    const configs = blocks('yaml')
    expect(configs.length).toBeGreaterThan(0)
    for (const config of configs) expect(parsePipelineConfig(config)).toMatchObject({ _tag: 'Right' })
  })

  it('runs every interlock command it shows', async () => {
    const commands = shellLines.filter((line) => line.startsWith('npm run interlock -- '))
    expect(commands.length).toBeGreaterThanOrEqual(4)
    for (const line of commands) {
      const answer = await h.cli(words(line.replace(/^npm run interlock -- /, '').replace(/\s+#.*$/, '')))
      expect({ line, code: answer.code, stderr: answer.stderr }).toEqual({ line, code: 0, stderr: '' })
    }
  })

  it('answers every curl line it shows with a success', async () => {
    const curls = shellLines.filter((line) => line.startsWith('curl '))
    expect(curls.length).toBeGreaterThanOrEqual(3)
    for (const line of curls) {
      const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          'bash',
          ['-c', line],
          { env: { ...process.env, ...h.env }, cwd: REPO_ROOT },
          (error, _stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stderr }),
        )
      })
      expect({ line, ...result }).toEqual({ line, code: 0, stderr: '' })
    }
  })

  it('runs every SQL query it shows', async () => {
    const client = new pg.Client({ connectionString: h.database.url })
    await client.connect()
    try {
      const statements = blocks('sql').flatMap((block) =>
        block
          .split(';')
          .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
          .filter((statement) => statement !== ''),
      )
      expect(statements.length).toBeGreaterThanOrEqual(2)
      for (const statement of statements) await expect(client.query(statement)).resolves.toBeDefined()
    } finally {
      await client.end()
    }
  })
})
