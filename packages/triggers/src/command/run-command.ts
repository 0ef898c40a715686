import { spawn } from 'node:child_process'

export interface RunCommandOptions {
  /** Kill the whole process group after this long. */
  readonly timeoutMs: number
  /** How much of stdout and of stderr is kept (the last bytes of each). */
  readonly maxOutputBytes: number
  /** The complete environment of the process: nothing is inherited from Interlock's own. */
  readonly environment: Readonly<Record<string, string>>
  readonly signal?: AbortSignal
  /** Written to the program's stdin, which is then closed; without it stdin is /dev/null. */
  readonly stdin?: string
}

export type CommandOutcome =
  | {
      readonly _tag: 'Exited'
      readonly exitCode: number
      readonly stdout: string
      readonly stderr: string
      readonly pid: number
    }
  | {
      readonly _tag: 'KilledBySignal'
      readonly signal: string
      readonly stdout: string
      readonly stderr: string
    }
  | { readonly _tag: 'TimedOut'; readonly stdout: string; readonly stderr: string }
  | { readonly _tag: 'NotStarted'; readonly reason: string }

/** Keeps the last `limit` bytes written to it. */
const boundedTail = (limit: number) => {
  let chunks: Buffer[] = []
  let size = 0
  return {
    write(chunk: Buffer) {
      chunks.push(chunk)
      size += chunk.length
      if (size > limit * 2) {
        const all = Buffer.concat(chunks)
        chunks = [all.subarray(all.length - limit)]
        size = limit
      }
    },
    text(): string {
      const all = Buffer.concat(chunks)
      return all.subarray(Math.max(0, all.length - limit)).toString('utf8')
    },
  }
}

/**
 * Runs a program with its arguments directly, never through a shell (ruling T7), in its own process
 * group so that a timeout kills everything it started, with a given environment and bounded output.
 */
export const runCommand = (
  program: string,
  args: ReadonlyArray<string>,
  options: RunCommandOptions,
): Promise<CommandOutcome> =>
  new Promise((resolve) => {
    const stdout = boundedTail(options.maxOutputBytes)
    const stderr = boundedTail(options.maxOutputBytes)
    let timedOut = false
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(program, args, {
        shell: false,
        detached: true,
        env: { ...options.environment },
        stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
      })
    } catch (error) {
      // Node refuses some arguments before starting anything (a NUL byte, for one).
      resolve({ _tag: 'NotStarted', reason: error instanceof Error ? error.message : String(error) })
      return
    }
    const killGroup = () => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // The group is already gone: nothing left to kill.
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      killGroup()
    }, options.timeoutMs)
    const onAbort = () => killGroup()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    const finish = (outcome: CommandOutcome) => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve(outcome)
    }
    if (options.stdin !== undefined && child.stdin !== null) {
      // A program that exits without reading its input closes the pipe: that is its business, not an error.
      child.stdin.on('error', () => {})
      child.stdin.end(options.stdin)
    }
    child.stdout?.on('data', (chunk: Buffer) => stdout.write(chunk))
    child.stderr?.on('data', (chunk: Buffer) => stderr.write(chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({
        _tag: 'NotStarted',
        reason: error.code === 'ENOENT' ? `${program}: program not found` : error.message,
      })
    })
    let exit: { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      // Whatever the program left running in its group would hold the output pipes open: it goes too.
      killGroup()
    })
    child.on('close', () => {
      if (child.pid === undefined || exit === undefined) return
      const { code, signal } = exit
      if (timedOut) finish({ _tag: 'TimedOut', stdout: stdout.text(), stderr: stderr.text() })
      else if (code === null)
        finish({
          _tag: 'KilledBySignal',
          signal: signal ?? 'unknown',
          stdout: stdout.text(),
          stderr: stderr.text(),
        })
      else
        finish({
          _tag: 'Exited',
          exitCode: code,
          stdout: stdout.text(),
          stderr: stderr.text(),
          pid: child.pid,
        })
    })
  })
