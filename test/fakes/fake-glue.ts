import { type AwsJsonFake, startAwsJsonFake } from './aws-json-fake.ts'
import { statusFault } from './scripted-faults.ts'
import { type RunScript, ScriptedRuns } from './scripted-runs.ts'

export type GlueRunState =
  | 'STARTING'
  | 'RUNNING'
  | 'STOPPING'
  | 'STOPPED'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMEOUT'
  | 'ERROR'
  | 'WAITING'
  | 'EXPIRED'

export interface GlueRunDetails {
  readonly logGroupName?: string
  readonly errorMessage?: string
  /** Answer GetJobRun without a `JobRun`, as a broken endpoint might. */
  readonly omitJobRun?: boolean
  /** Start this run with this id instead of a generated one. */
  readonly runId?: string
}

export interface FakeGlue extends AwsJsonFake {
  readonly runs: ScriptedRuns<GlueRunState, GlueRunDetails>
}

/** A fake AWS Glue (JSON 1.1): StartJobRun, GetJobRun, BatchStopJobRun. Jobs named `missing-*` do not exist. */
export const startFakeGlue = async (
  script: RunScript<GlueRunState, GlueRunDetails> = { states: ['RUNNING', 'SUCCEEDED'] },
): Promise<FakeGlue> => {
  const runs = new ScriptedRuns<GlueRunState, GlueRunDetails>('jr_', script)
  const missing = (name: unknown) =>
    typeof name === 'string' && name.startsWith('missing-')
      ? statusFault(
          400,
          'EntityNotFoundException',
          `Failed to start job run due to missing metadata: ${name}`,
        )
      : undefined
  const fake = await startAwsJsonFake('AWSGlue', '1.1', {
    StartJobRun: (input) => {
      const fault = missing(input.JobName)
      if (fault !== undefined) return fault
      const next = runs.start(input)
      return { JobRunId: next.id }
    },
    GetJobRun: (input) => {
      const run = runs.get(String(input.RunId))
      if (run === undefined)
        return statusFault(400, 'EntityNotFoundException', `Job run ${String(input.RunId)} not found`)
      if (run.script.details?.omitJobRun === true) return {}
      const details = run.script.details ?? {}
      return {
        JobRun: {
          Id: run.id,
          JobName: input.JobName,
          JobRunState: runs.poll(run),
          ...(details.logGroupName === undefined ? {} : { LogGroupName: details.logGroupName }),
          ...(details.errorMessage === undefined ? {} : { ErrorMessage: details.errorMessage }),
        },
      }
    },
    BatchStopJobRun: (input) => {
      const ids = (input.JobRunIds ?? []) as ReadonlyArray<string>
      for (const id of ids) {
        const run = runs.get(id)
        if (run !== undefined) runs.cancel(run, 'STOPPED')
      }
      return {
        SuccessfulSubmissions: ids.map((id) => ({ JobName: input.JobName, JobRunId: id })),
        Errors: [],
      }
    },
  })
  return { ...fake, runs }
}
