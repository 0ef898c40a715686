/**
 * The only environment variables a job config may read (ruling T3): names starting with `INTERLOCK_`.
 * The map is built once, where the app reads its configuration, and passed in.
 */
export type InterlockEnvironment = ReadonlyMap<string, string>

const PREFIX = 'INTERLOCK_'

/** Keeps the `INTERLOCK_` variables of an environment (e.g. `process.env`, read by the app's config.ts). */
export const interlockEnvironment = (
  environment: Readonly<Record<string, string | undefined>>,
): InterlockEnvironment =>
  new Map(
    Object.entries(environment).flatMap(([name, value]) =>
      name.startsWith(PREFIX) && value !== undefined ? [[name, value] as const] : [],
    ),
  )

/** The value of `name` when it is an `INTERLOCK_` variable, otherwise the empty string (spec §5.2). */
export const safeEnvironmentLookup = (environment: InterlockEnvironment, name: string): string =>
  name.startsWith(PREFIX) ? (environment.get(name) ?? '') : ''

const isSpecialName = (character: string): boolean => '*#$@!?-0123456789'.includes(character)
const isNameCharacter = (character: string): boolean => /^[A-Za-z0-9_]$/.test(character)

/** Reads the variable name after a `$`: the name and how many characters it spans (Go's getShellName). */
const readName = (text: string): { readonly name: string; readonly width: number } => {
  const first = text[0] ?? ''
  if (first === '{') {
    if (text.length > 2 && isSpecialName(text[1] ?? '') && text[2] === '}')
      return { name: text[1] ?? '', width: 3 }
    for (let index = 1; index < text.length; index++) {
      if (text[index] === '}') {
        return index === 1 ? { name: '', width: 2 } : { name: text.slice(1, index), width: index + 1 }
      }
    }
    return { name: '', width: 1 }
  }
  if (isSpecialName(first)) return { name: first, width: 1 }
  let index = 0
  while (index < text.length && isNameCharacter(text[index] ?? '')) index++
  return { name: text.slice(0, index), width: index }
}

/**
 * Expands `${NAME}` and `$NAME` with Go `os.Expand` rules (spec §5.2), resolving only `INTERLOCK_`
 * variables: every other name, set or not, becomes the empty string, so a config cannot read
 * `AWS_SECRET_ACCESS_KEY`. A `$` not followed by a name stays as it is.
 */
export const expandEnvironment = (text: string, environment: InterlockEnvironment): string => {
  let result = ''
  let start = 0
  for (let index = 0; index < text.length; index++) {
    if (text[index] !== '$' || index + 1 >= text.length) continue
    result += text.slice(start, index)
    const { name, width } = readName(text.slice(index + 1))
    if (name === '' && width === 0) result += '$'
    else if (name !== '') result += safeEnvironmentLookup(environment, name)
    index += width
    start = index + 1
  }
  return result + text.slice(start)
}
