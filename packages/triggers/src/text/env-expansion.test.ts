// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these cases are literal `${…}` text that the expansion reads
import { Either } from 'effect'
import { describe, expect, it } from 'vitest'
import {
  expandEnvironment,
  interlockEnvironment,
  safeEnvironmentLookup,
  VariableNotAllowed,
} from './env-expansion.ts'

const environment = interlockEnvironment(
  {
    INTERLOCK_TOKEN: 'good-token',
    INTERLOCK_TEST_VAR: 'safe',
    INTERLOCK_API_KEY: 'safe-value',
    AIRFLOW_TOKEN: 'allowed-token',
    AWS_SECRET_ACCESS_KEY: 'leaked',
    SECRET_VAR: 'leaked',
    HOME: '/root',
    PATH: '/usr/bin',
  },
  ['AIRFLOW_TOKEN', 'DATABRICKS_TOKEN'],
)

const expanded = (text: string) => Either.getOrThrow(expandEnvironment(text, environment))
const refused = (text: string) => Either.flip(expandEnvironment(text, environment)).pipe(Either.getOrThrow)

describe('safeEnvironmentLookup', () => {
  it('returns INTERLOCK_ variables and the ones the operator allows', () => {
    expect(safeEnvironmentLookup(environment, 'INTERLOCK_API_KEY')).toBe('safe-value')
    expect(safeEnvironmentLookup(environment, 'AIRFLOW_TOKEN')).toBe('allowed-token')
  })

  it('returns the empty string for every other variable, set or not', () => {
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'HOME', 'PATH', 'INTERLOCK_UNSET', 'DATABRICKS_TOKEN']) {
      expect(safeEnvironmentLookup(environment, name)).toBe('')
    }
  })

  it('keeps only INTERLOCK_ and allowed variables in the environment it builds', () => {
    expect([...environment.keys()].sort()).toEqual([
      'AIRFLOW_TOKEN',
      'INTERLOCK_API_KEY',
      'INTERLOCK_TEST_VAR',
      'INTERLOCK_TOKEN',
    ])
    expect([...environment.allowed]).toEqual(['AIRFLOW_TOKEN', 'DATABRICKS_TOKEN'])
  })
})

describe('expandEnvironment', () => {
  it.each([
    ['Bearer ${INTERLOCK_TOKEN}', 'Bearer good-token'],
    ['Bearer ${AIRFLOW_TOKEN}', 'Bearer allowed-token'],
    ['Bearer $AIRFLOW_TOKEN', 'Bearer allowed-token'],
    ['allowed but unset: ${DATABRICKS_TOKEN}.', 'allowed but unset: .'],
    ['$INTERLOCK_TOKEN-suffix', 'good-token-suffix'],
    ['$INTERLOCK_TOKENc', ''],
    ['${INTERLOCK_TOKEN', 'INTERLOCK_TOKEN'],
    ['a${}b', 'ab'],
    ['$$', ''],
    ['price $5', 'price '],
    ['$1x', 'x'],
    ['$@x', 'x'],
    ['${*}x', 'x'],
    ['cost $ 5', 'cost $ 5'],
    ['{"a":"$"}', '{"a":"$"}'],
    ['ends with $', 'ends with $'],
    ['no dollar at all', 'no dollar at all'],
    ['${INTERLOCK_TOKEN:-x}', ''],
  ])('expands %j to %j', (input, expected) => {
    expect(expanded(input)).toBe(expected)
  })

  it.each([
    ['{"secret":"${AWS_SECRET_ACCESS_KEY}","token":"${INTERLOCK_TOKEN}"}', 'AWS_SECRET_ACCESS_KEY'],
    ['Bearer ${INTERLOCK_TEST_VAR}/${SECRET_VAR}', 'SECRET_VAR'],
    ['${HOME} and $PATH', 'HOME'],
    ['postgres at $DATABASE_URL', 'DATABASE_URL'],
  ])('refuses %j, naming %s', (input, name) => {
    expect(refused(input)).toEqual(new VariableNotAllowed({ name }))
  })

  it('says how to allow the variable, and never its value', () => {
    expect(refused('Bearer ${SECRET_VAR}').message).toBe(
      "reads ${SECRET_VAR}, which job configs may not read (only INTERLOCK_ variables and those the operator allows expand); allow it with env: [SECRET_VAR] in interlock.yaml or INTERLOCK_JOB_ENV=SECRET_VAR in the processor's environment",
    )
  })
})
