import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type RunCommandOptions, runCommand } from './run-command.ts'
import { splitArguments } from './split-arguments.ts'

/** A process is gone when it no longer exists or is a zombie waiting to be reaped. */
const isGone = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')
  } catch {
    return true
  }
}

const options: RunCommandOptions = {
  timeoutMs: 5000,
  maxOutputBytes: 1024,
  environment: { PATH: '/usr/bin:/bin' },
}

const run = (line: string, overrides: Partial<RunCommandOptions> = {}) => {
  const [program = '', ...args] = splitArguments(line)
  return runCommand(program, args, { ...options, ...overrides })
}

describe('runCommand', () => {
  it('runs a program and captures its output and exit code', async () => {
    const outcome = await run('echo hello')
    expect(outcome).toMatchObject({ _tag: 'Exited', exitCode: 0, stdout: 'hello\n', stderr: '' })
  })

  it('reports a non-zero exit code', async () => {
    expect(await run('false')).toMatchObject({ _tag: 'Exited', exitCode: 1 })
  })

  it('reports a program that does not exist', async () => {
    expect(await run('no-such-program-interlock')).toEqual({
      _tag: 'NotStarted',
      reason: 'no-such-program-interlock: program not found',
    })
  })

  it('reports arguments Node refuses as not started', async () => {
    const outcome = await runCommand('echo', ['a\u0000b'], options)
    expect(outcome._tag).toBe('NotStarted')
  })

  it('passes shell syntax to the program as literal arguments and runs no shell', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'interlock-command-'))
    const marker = join(directory, 'marker')
    writeFileSync(marker, 'still here')
    const line = `echo $(rm -rf ${directory}) ; rm -rf ${directory} && touch ${marker}-2 | cat \`id\` > ${marker}-3`
    const outcome = await run(line)
    expect(outcome).toMatchObject({
      _tag: 'Exited',
      exitCode: 0,
      stdout: `$(rm -rf ${directory}) ; rm -rf ${directory} && touch ${marker}-2 | cat \`id\` > ${marker}-3\n`,
    })
    expect(existsSync(marker)).toBe(true)
    expect(existsSync(`${marker}-2`)).toBe(false)
    expect(existsSync(`${marker}-3`)).toBe(false)
  })

  it('gives the program only the environment it is handed', async () => {
    const outcome = await run('env', {
      environment: { PATH: '/usr/bin:/bin', INTERLOCK_PERIOD: '2026-03-03' },
    })
    expect(outcome._tag === 'Exited' && outcome.stdout.trim().split('\n').sort()).toEqual([
      'INTERLOCK_PERIOD=2026-03-03',
      'PATH=/usr/bin:/bin',
    ])
  })

  it('keeps only the last bytes of a large output', async () => {
    const outcome = await run('seq 1 2000', { maxOutputBytes: 10 })
    expect(outcome).toMatchObject({ _tag: 'Exited', stdout: '1999\n2000\n' })
  })

  it('kills the whole process tree when the timeout passes', async () => {
    const outcome = await run(`sh -c "sleep 30 & echo $! ; wait"`, { timeoutMs: 100 })
    expect(outcome._tag).toBe('TimedOut')
    const grandchild = Number(outcome._tag === 'TimedOut' ? outcome.stdout.trim() : Number.NaN)
    expect(grandchild).toBeGreaterThan(0)
    expect(isGone(grandchild)).toBe(true)
  })
})
