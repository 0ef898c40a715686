// A stand-in for a real data job, run by the examples' `command` jobs (no shell): it reads its step and
// period from the arguments, "works" for a moment and exits 0. `--fail` exits 1, to show a failed attempt.
// Interlock gives it INTERLOCK_PIPELINE_ID, INTERLOCK_PERIOD and INTERLOCK_ATTEMPT_ID.

import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    step: { type: 'string', default: 'job' },
    period: { type: 'string', default: process.env.INTERLOCK_PERIOD ?? '' },
    'work-ms': { type: 'string', default: '200' },
    fail: { type: 'boolean', default: false },
  },
})

const workMs = Number(values['work-ms'])
const attempt = process.env.INTERLOCK_ATTEMPT_ID ?? 'local'
process.stdout.write(`${values.step}: processing ${values.period} (attempt ${attempt})\n`)
await sleep(Number.isFinite(workMs) && workMs >= 0 ? workMs : 200)
if (values.fail) {
  process.stderr.write(`${values.step}: failed on purpose for ${values.period}\n`)
  process.exit(1)
}
process.stdout.write(`${values.step}: done ${values.period}\n`)
