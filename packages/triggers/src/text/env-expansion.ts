import { Data, Either } from 'effect'

/**
 * The environment variables a job config may read (ruling T3, refined): names starting with `INTERLOCK_`,
 * and the names the operator allows beyond them (`INTERLOCK_JOB_ENV`, `env:` in interlock.yaml), such as
 * seed 001's `${AIRFLOW_TOKEN}`. The map holds the values of those that are set; `allowed` lists the
 * operator's names, set or not. Built once, where the app reads its configuration, and passed in.
 */
export interface InterlockEnvironment extends ReadonlyMap<string, string> {
  readonly allowed: ReadonlySet<string>
}

const PREFIX = 'INTERLOCK_'

/**
 * Keeps the `INTERLOCK_` variables of an environment (e.g. `process.env`, read by the app's config.ts)
 * and the `allowed` ones; every other variable is left out, so a pipeline config pushed over the API
 * cannot read `DATABASE_URL` or `AWS_SECRET_ACCESS_KEY`.
 */
export const interlockEnvironment = (
  environment: Readonly<Record<string, string | undefined>>,
  allowed: Iterable<string> = [],
): InterlockEnvironment => {
  const names: ReadonlySet<string> = new Set(allowed)
  const values = new Map(
    Object.entries(environment).flatMap(([name, value]) =>
      (name.startsWith(PREFIX) || names.has(name)) && value !== undefined ? [[name, value] as const] : [],
    ),
  )
  return Object.assign(values, { allowed: names })
}

/** Whether a job config may read `name`: an `INTERLOCK_` variable or one the operator allows. */
export const mayRead = (environment: InterlockEnvironment, name: string): boolean =>
  name.startsWith(PREFIX) || environment.allowed.has(name)

/** The value of `name` when a job config may read it, otherwise the empty string (spec §5.2). */
export const safeEnvironmentLookup = (environment: InterlockEnvironment, name: string): string =>
  mayRead(environment, name) ? (environment.get(name) ?? '') : ''

/** A job config names a variable it may not read: the start refuses it rather than send the text. */
export class VariableNotAllowed extends Data.TaggedError('VariableNotAllowed')<{ readonly name: string }> {
  override get message(): string {
    return (
      `reads \${${this.name}}, which job configs may not read (only INTERLOCK_ variables and those the ` +
      `operator allows expand); allow it with env: [${this.name}] in interlock.yaml or ` +
      `INTERLOCK_JOB_ENV=${this.name} in the processor's environment`
    )
  }
}

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
 * Expands `${NAME}` and `$NAME` with Go `os.Expand` rules (spec §5.2), resolving only the variables a job
 * config may read (an allowed one that is not set becomes the empty string). A reference to any other
 * variable is refused with its name, never sent as it stands or blanked out: a seed 001 config's
 * `Bearer ${AIRFLOW_TOKEN}` would otherwise reach Airflow without its token. Go's special names (`$1`,
 * `$@`, …) become the empty string, and a `$` not followed by a name stays as it is.
 */
export const expandEnvironment = (
  text: string,
  environment: InterlockEnvironment,
): Either.Either<string, VariableNotAllowed> => {
  let result = ''
  let start = 0
  for (let index = 0; index < text.length; index++) {
    if (text[index] !== '$' || index + 1 >= text.length) continue
    result += text.slice(start, index)
    const { name, width } = readName(text.slice(index + 1))
    if (name === '' && width === 0) result += '$'
    else if (name !== '' && !(name.length === 1 && isSpecialName(name)) && !mayRead(environment, name))
      return Either.left(new VariableNotAllowed({ name }))
    else if (name !== '') result += safeEnvironmentLookup(environment, name)
    index += width
    start = index + 1
  }
  return Either.right(result + text.slice(start))
}
