import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { CommandFailed } from './cli-error.ts'
import type { CliIo } from './io.ts'
import { PROJECT_FILE } from './project-config.ts'

/** The files `interlock init` writes, by path inside the project; executables marked. */
export const SCAFFOLD: ReadonlyArray<{
  readonly path: string
  readonly text: string
  readonly executable?: true
}> = [
  {
    path: PROJECT_FILE,
    text: `# An Interlock project (seed 001's layout). \`interlock serve\` in this folder runs it; the other
# commands read the API address and token from here. Environment variables override every setting.
provider: postgres
# database:
#   url: postgres://user@localhost:5432/interlock   # default: DATABASE_URL, else a local or embedded Postgres
server:
  addr: "127.0.0.1:8080"
archetypeDirs:
  - ./archetypes
evaluatorDirs:
  - ./evaluators
pipelineDirs:
  - ./pipelines
calendarDirs:
  - ./calendars
alerts:
  - type: console
  - type: file
    path: ./alerts.log
# Job configs expand \${INTERLOCK_…} variables only, unless listed here (a header such as
# "Bearer \${AIRFLOW_TOKEN}" then gets the token; an unlisted one fails the job's start, naming it).
# env: [AIRFLOW_TOKEN, DATABRICKS_TOKEN]
`,
  },
  {
    path: 'archetypes/example-batch.yaml',
    text: `# What to check before a batch job runs: each required trait is a sensor whose status must be PASS
# (and, with a defaultTtl in seconds, no older than that by its updatedAt).
name: example-batch
description: A batch job that needs fresh source data and a finished upstream
requiredTraits:
  - type: source-freshness
    description: Source data is recent enough
    defaultTtl: 300
  - type: upstream-dependency
    description: The upstream pipeline has finished (pushed by it)
readinessRule:
  type: all-required-pass
`,
  },
  {
    path: 'evaluators/check-source-freshness',
    executable: true,
    text: `#!/bin/sh
# An evaluator: Interlock writes the trait's config as JSON on stdin and reads the result from stdout,
# {"status":"PASS"|"FAIL","value":{...}}. A non-zero exit or a timeout counts as FAIL.
# Query your source system here; this example always passes.
cat > /dev/null
echo '{"status":"PASS","value":{"lagSeconds":0}}'
`,
  },
  {
    path: 'pipelines/example.yaml',
    text: `# Ready when both traits of the archetype pass: source-freshness from its evaluator, upstream-dependency
# pushed by the upstream (interlock push example upstream-dependency --data '{"status":"PASS"}').
name: example
archetype: example-batch
traits:
  source-freshness:
    evaluator: ./evaluators/check-source-freshness
    config:
      maxLagSeconds: 300
    timeout: 10
exclusions:
  calendar: example-holidays
trigger:
  type: command
  command: "sh ./jobs/example-job.sh {{period}}"
`,
  },
  {
    path: 'calendars/example-holidays.yaml',
    text: `# Days no pipeline naming this calendar runs.
name: example-holidays
dates: ["2026-12-25", "2027-01-01"]
`,
  },
  {
    path: 'jobs/example-job.sh',
    text: `# The example pipeline's job: replace it with the real one (or another trigger type).
echo "example job: processing $1"
`,
  },
  {
    path: '.gitignore',
    text: `.interlock/
alerts.log
`,
  },
]

/** `interlock init <dir>`: scaffolds a project `interlock serve` runs at once; refuses a folder in use. */
export const init = async (io: CliIo, dir: string): Promise<number> => {
  const root = resolve(io.cwd, dir)
  let entries: ReadonlyArray<string> = []
  try {
    entries = await readdir(root)
  } catch {
    entries = []
  }
  if (entries.length > 0)
    throw new CommandFailed({
      problem: `${dir} is not empty; init writes a new project into an empty or new folder`,
    })
  for (const file of SCAFFOLD) {
    const path = join(root, file.path)
    await mkdir(join(path, '..'), { recursive: true })
    await writeFile(path, file.text)
    if (file.executable) await chmod(path, 0o755)
    io.out(`created ${relative(io.cwd, path) || path}`)
  }
  io.out(
    [
      '',
      `Next: cd ${dir} && interlock serve`,
      '  then, in another terminal in that folder:',
      '  interlock evaluate example',
      `  interlock push example upstream-dependency --data '{"status":"PASS"}'`,
      '  interlock run example',
    ].join('\n'),
  )
  return 0
}
