import { describe, expect, it } from 'vitest'
import { splitArguments } from './split-arguments.ts'

describe('splitArguments', () => {
  it.each([
    ['echo ok', ['echo', 'ok']],
    ['  echo \t ok\n', ['echo', 'ok']],
    ['echo ; ls', ['echo', ';', 'ls']],
    ['echo $(rm -rf /)', ['echo', '$(rm', '-rf', '/)']],
    ['python3 x.py --name "hello world"', ['python3', 'x.py', '--name', 'hello world']],
    ["printf '%s' '$HOME; ls'", ['printf', '%s', '$HOME; ls']],
    ['a "say \\"hi\\"" b', ['a', 'say "hi"', 'b']],
    ['a\\ b c', ['a b', 'c']],
    ['run ""', ['run', '']],
    ['x\u00a0y\u3000z', ['x', 'y', 'z']],
    ['', []],
    ['   ', []],
  ])('splits %j', (line, words) => {
    expect(splitArguments(line)).toEqual(words)
  })

  it('rejects an unterminated quote', () => {
    expect(() => splitArguments('echo "oops')).toThrow('the command has an unterminated " quote: echo "oops')
  })

  it('rejects a trailing backslash', () => {
    expect(() => splitArguments('echo \\')).toThrow('the command ends with a lone backslash: echo \\')
  })
})
