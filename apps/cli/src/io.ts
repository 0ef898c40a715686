import { createInterface } from 'node:readline/promises'
import { paint, useColour } from './colour.ts'

/** Where a command writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
  /** Directory relative paths are resolved against. */
  readonly cwd: string
  /** On a terminal: rewrites the current status line in place (no newline; '' clears it). Absent when piped. */
  readonly live?: (text: string) => void
  /** On a terminal: asks a question and answers the line typed. Absent when stdin is not a terminal. */
  readonly ask?: (question: string) => Promise<string>
}

export const processIo = (): CliIo => {
  const colour = useColour(process.stdout.isTTY === true, process.env)
  return {
    out: (text) => process.stdout.write(`${colour ? paint(text) : text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    ...(process.stdout.isTTY === true
      ? { live: (text: string) => process.stdout.write(`\r\u001b[2K${colour ? paint(text) : text}`) }
      : {}),
    ...(process.stdin.isTTY === true ? { ask } : {}),
  }
}

const ask = async (question: string): Promise<string> => {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return await prompt.question(question)
  } finally {
    prompt.close()
  }
}
