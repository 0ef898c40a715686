// A processor in a child process for crash tests: `node processor-child.ts <databaseUrl> <crashPoint|none>`.
// It kills itself with SIGKILL (no cleanup, like a power cut) when the reactor reaches the crash point.
import { processorConfig } from '../src/config.ts'
import { startProcessor } from '../src/processor.ts'

const [databaseUrl, crashPoint] = process.argv.slice(2)
if (databaseUrl === undefined || crashPoint === undefined) {
  console.error('usage: processor-child.ts <databaseUrl> <claimed|called|recorded|none>')
  process.exit(2)
}
await startProcessor(
  processorConfig(databaseUrl, { ...process.env, INTERLOCK_PROCESSOR_ID: `child-${process.pid}` }),
  {
    faultPoint: (point) => {
      if (point === crashPoint) process.kill(process.pid, 'SIGKILL')
    },
  },
)
console.log('ready')
