/**
 * Colour for people, plain text for pipes: statuses are coloured only when output goes to a terminal and
 * neither NO_COLOR (https://no-color.org) nor TERM=dumb asks otherwise. Tables keep their column widths,
 * since the escape codes wrap whole words after padding.
 */
export const useColour = (isTerminal: boolean, env: Readonly<Record<string, string | undefined>>): boolean =>
  isTerminal && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb'

const GREEN = ['succeeded', 'applied', 'ok', 'met', 'recorded', 'accepted', 'READY']
const RED = ['failed', 'validation_exhausted', 'breached', 'refused', 'rejected', 'invalid', 'NOT_READY']
const YELLOW = ['waiting', 'evaluating', 'triggering', 'running', 'warning', 'pending', 'excluded', 'paused']

const word = (words: ReadonlyArray<string>) => new RegExp(`(?<![\\w-])(${words.join('|')})(?![\\w-])`, 'g')
const PAINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [word(GREEN), '32'],
  [word(RED), '31'],
  [word(YELLOW), '33'],
]

/** Colours the status words of one line of output. */
export const paint = (text: string): string =>
  PAINTS.reduce((painted, [pattern, code]) => painted.replace(pattern, `\u001b[${code}m$1\u001b[39m`), text)
