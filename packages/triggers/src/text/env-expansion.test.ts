// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these cases are literal `${…}` text that the expansion reads
import { describe, expect, it } from 'vitest'
import { expandEnvironment, interlockEnvironment, safeEnvironmentLookup } from './env-expansion.ts'

const environment = interlockEnvironment({
  INTERLOCK_TOKEN: 'good-token',
  INTERLOCK_TEST_VAR: 'safe',
  INTERLOCK_API_KEY: 'safe-value',
  AWS_SECRET_ACCESS_KEY: 'leaked',
  SECRET_VAR: 'leaked',
  HOME: '/root',
  PATH: '/usr/bin',
})

describe('safeEnvironmentLookup', () => {
  it('returns INTERLOCK_ variables', () => {
    expect(safeEnvironmentLookup(environment, 'INTERLOCK_API_KEY')).toBe('safe-value')
  })

  it('returns the empty string for every other variable, set or not', () => {
    for (const name of ['AWS_SECRET_ACCESS_KEY', 'HOME', 'PATH', 'INTERLOCK_UNSET']) {
      expect(safeEnvironmentLookup(environment, name)).toBe('')
    }
  })

  it('never keeps a non-INTERLOCK_ variable in the environment it builds', () => {
    expect([...environment.keys()].sort()).toEqual([
      'INTERLOCK_API_KEY',
      'INTERLOCK_TEST_VAR',
      'INTERLOCK_TOKEN',
    ])
  })
})

describe('expandEnvironment', () => {
  it.each([
    ['Bearer ${INTERLOCK_TOKEN}', 'Bearer good-token'],
    [
      '{"secret":"${AWS_SECRET_ACCESS_KEY}","token":"${INTERLOCK_TOKEN}"}',
      '{"secret":"","token":"good-token"}',
    ],
    ['Bearer ${INTERLOCK_TEST_VAR}/${SECRET_VAR}', 'Bearer safe/'],
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
    ['${HOME} and $PATH', ' and '],
    ['no dollar at all', 'no dollar at all'],
    ['${INTERLOCK_TOKEN:-x}', ''],
  ])('expands %j to %j', (input, expected) => {
    expect(expandEnvironment(input, environment)).toBe(expected)
  })
})
