import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { pollJob } from '../poll-job.ts'
import { dailyRun, run, runError } from '../test-support.ts'
import { interlockEnvironment } from '../text/env-expansion.ts'
import { makeCommandTrigger } from './command-trigger.ts'

const environment = interlockEnvironment({ INTERLOCK_DB_PASSWORD: 'hunter2-secret' })
const trigger = (timeoutMs?: number) =>
  makeCommandTrigger({
    path: '/usr/bin:/bin',
    environment,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  })

describe('command trigger', () => {
  it('runs a program and completes synchronously', async () => {
    const started = await run(trigger().start({ command: 'echo ok' }, dailyRun))
    expect(started).toMatchObject({
      externalRunId: expect.stringMatching(/^pid-\d+$/),
      synchronous: true,
      message: 'command trigger completed synchronously',
    })
  })

  it('fails as TRANSIENT on a non-zero exit, quoting stderr with secrets redacted', async () => {
    const error = await runError(
      trigger().start({ command: 'sh -c "echo password hunter2-secret rejected >&2; exit 3"' }, dailyRun),
    )
    expect(error).toMatchObject({
      category: 'TRANSIENT',
      message: 'trigger command sh failed: exit status 3: password [REDACTED] rejected\n',
    })
    expect((await runError(trigger().start({ command: 'false' }, dailyRun))).message).toBe(
      'trigger command false failed: exit status 1',
    )
  })

  it('fails as PERMANENT when the program does not exist', async () => {
    expect(
      await runError(trigger().start({ command: 'no-such-program-interlock --x' }, dailyRun)),
    ).toMatchObject({
      category: 'PERMANENT',
      message: 'trigger command failed to start: no-such-program-interlock: program not found',
    })
  })

  it('refuses an empty or blank command and an unterminated quote as PERMANENT', async () => {
    for (const command of ['', '   \t ']) {
      expect(await runError(trigger().start({ command }, dailyRun))).toMatchObject({
        category: 'PERMANENT',
        message: 'trigger command is empty',
      })
    }
    expect((await runError(trigger().start({ command: 'echo "open' }, dailyRun))).category).toBe('PERMANENT')
  })

  it('runs `echo ; ls` as echo with two literal arguments', async () => {
    expect((await run(trigger().start({ command: 'echo ; ls' }, dailyRun))).synchronous).toBe(true)
  })

  it('runs no shell: $(rm -rf …), `;`, `&&`, `|` and `>` reach the program as plain text', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'interlock-trigger-'))
    const marker = join(directory, 'marker')
    writeFileSync(marker, 'still here')
    const output = join(directory, 'output')
    const command = `sh -c 'printf "%s|" "$@" > ${output}' argv $(rm -rf ${directory}) ; rm -rf ${directory} && touch ${marker}-2 | cat`
    await run(trigger().start({ command }, dailyRun))
    expect(existsSync(marker)).toBe(true)
    expect(existsSync(`${marker}-2`)).toBe(false)
    expect(readFileSync(output, 'utf8')).toBe(
      `$(rm|-rf|${directory})|;|rm|-rf|${directory}|&&|touch|${marker}-2|||cat|`,
    )
  })

  it('renders template variables and gives the program the run, not Interlock’s environment', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'interlock-trigger-'))
    const output = join(directory, 'env')
    await run(trigger().start({ command: `sh -c "env > ${output}; echo {{date}} >> ${output}"` }, dailyRun))
    const lines = readFileSync(output, 'utf8').trim().split('\n')
    expect(lines.at(-1)).toBe('2026-03-03')
    expect(
      lines
        .filter(
          (line) =>
            /^[A-Z_]+=/.test(line) &&
            !line.startsWith('PWD=') &&
            !line.startsWith('SHLVL=') &&
            !line.startsWith('_='),
        )
        .sort(),
    ).toEqual([
      'INTERLOCK_ATTEMPT_ID=attempt-1',
      'INTERLOCK_PERIOD=2026-03-03',
      'INTERLOCK_PIPELINE_ID=orders-daily',
      'PATH=/usr/bin:/bin',
    ])
  })

  it('kills a hanging command at its deadline and fails as TIMEOUT', async () => {
    expect(await runError(trigger(30).start({ command: 'sleep 30' }, dailyRun))).toMatchObject({
      category: 'TIMEOUT',
      message: 'trigger command sleep timed out after 30 ms and was killed',
    })
  })

  it('reports running to a status poll, cannot be cancelled, and so ends a poll window as exhausted', async () => {
    const handle = { externalRunId: 'pid-1', metadata: {} }
    const config = { command: 'true' }
    expect(await run(trigger().status(config, handle, dailyRun))).toEqual({
      _tag: 'JobRunning',
      message: 'non-polling trigger type',
    })
    expect(
      await run(pollJob(trigger(), config, handle, dailyRun, { elapsedSeconds: 60, pollWindowSeconds: 60 })),
    ).toMatchObject({
      _tag: 'PollWindowExhausted',
      cancellation: { _tag: 'CancelNotSupported', reason: 'a command job ends within its start call' },
    })
  })
})
