import { paint, useColour } from './colour.ts'

/** Where a command writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
  /** Directory relative paths are resolved against. */
  readonly cwd: string
}

export const processIo = (): CliIo => {
  const colour = useColour(process.stdout.isTTY === true, process.env)
  return {
    out: (text) => process.stdout.write(`${colour ? paint(text) : text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd(),
  }
}
