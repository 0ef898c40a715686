/** Go's `unicode.IsSpace` set (spec Appendix A.8); JavaScript's `\s` differs (U+FEFF, U+0085). */
const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/

/** A command line that cannot be split: an unterminated quote or a trailing backslash. */
export class CommandLineInvalid extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CommandLineInvalid'
  }
}

/**
 * Splits a command line into program and arguments without any shell (ruling T7): words are separated by
 * whitespace; `'…'` keeps its text as written, `"…"` allows `\"` and `\\`, a backslash outside quotes
 * keeps the next character. Nothing else is special: `;`, `|`, `$(…)`, `*` and `>` are plain text.
 */
export const splitArguments = (commandLine: string): ReadonlyArray<string> => {
  const words: string[] = []
  let current = ''
  let inWord = false
  let quote: "'" | '"' | undefined
  const characters = [...commandLine]
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index] ?? ''
    if (quote === "'") {
      if (character === "'") quote = undefined
      else current += character
    } else if (quote === '"') {
      if (character === '"') quote = undefined
      else if (character === '\\' && (characters[index + 1] === '"' || characters[index + 1] === '\\')) {
        current += characters[index + 1]
        index++
      } else current += character
    } else if (WHITESPACE.test(character)) {
      if (inWord) words.push(current)
      current = ''
      inWord = false
    } else if (character === "'" || character === '"') {
      quote = character
      inWord = true
    } else if (character === '\\') {
      const next = characters[index + 1]
      if (next === undefined)
        throw new CommandLineInvalid(`the command ends with a lone backslash: ${commandLine}`)
      current += next
      index++
      inWord = true
    } else {
      current += character
      inWord = true
    }
  }
  if (quote !== undefined) {
    throw new CommandLineInvalid(`the command has an unterminated ${quote} quote: ${commandLine}`)
  }
  if (inWord) words.push(current)
  return words
}
