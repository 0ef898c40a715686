import { type FakeAnswer, type FakeServer, jsonBody, startFakeServer } from './fake-server.ts'
import { answerFault, ScriptedFaults } from './scripted-faults.ts'
import { type RunScript, ScriptedRuns } from './scripted-runs.ts'

/** `LIFE_CYCLE_STATE` or `LIFE_CYCLE_STATE/RESULT_STATE`, e.g. `RUNNING`, `TERMINATED/SUCCESS`. */
export type DatabricksRunState = string

export interface DatabricksRunDetails {
  readonly stateMessage?: string
}

export interface FakeDatabricks extends FakeServer {
  /** Faults per operation: `run-now`, `list`, `runs/get`, `runs/cancel`. */
  readonly faults: ScriptedFaults
  readonly runs: ScriptedRuns<DatabricksRunState, DatabricksRunDetails>
}

export interface FakeDatabricksOptions {
  /** The jobs of the workspace: id → name. */
  readonly jobs?: Readonly<Record<string, string>>
  /** When set, every request must carry exactly this Authorization header, or gets 401. */
  readonly authorization?: string
}

const RUN_ID_BASE = 1_000

/**
 * A fake Databricks Jobs API 2.1: `POST /api/2.1/jobs/run-now`, `GET /api/2.1/jobs/list?name=`,
 * `GET /api/2.1/jobs/runs/get?run_id=`, `POST /api/2.1/jobs/runs/cancel`.
 */
export const startFakeDatabricks = async (
  options: FakeDatabricksOptions = {},
  script: RunScript<DatabricksRunState, DatabricksRunDetails> = { states: ['RUNNING', 'TERMINATED/SUCCESS'] },
): Promise<FakeDatabricks> => {
  const faults = new ScriptedFaults()
  const runs = new ScriptedRuns<DatabricksRunState, DatabricksRunDetails>('', script)
  const jobs = options.jobs ?? { '123': 'nightly-orders' }
  const error = (status: number, code: string, message: string): FakeAnswer => ({
    status,
    body: { error_code: code, message },
  })
  const server = await startFakeServer((request): FakeAnswer => {
    if (options.authorization !== undefined && request.headers.authorization !== options.authorization) {
      return error(401, 'UNAUTHENTICATED', 'Invalid access token.')
    }
    const operation = request.path.replace(/^\/api\/2\.1\/jobs\//, '')
    const fault = faults.take(operation)
    if (fault !== undefined) return answerFault(fault, 'text')
    if (request.method === 'GET' && operation === 'list') {
      const name = request.query.get('name')
      const matching = Object.entries(jobs).filter(([, jobName]) => name === null || jobName === name)
      return {
        status: 200,
        body: {
          jobs: matching.map(([id, jobName]) => ({ job_id: Number(id), settings: { name: jobName } })),
          has_more: false,
        },
      }
    }
    if (request.method === 'POST' && operation === 'run-now') {
      const input = (jsonBody(request) ?? {}) as { job_id?: unknown }
      if (typeof input.job_id !== 'number' || jobs[String(input.job_id)] === undefined) {
        return error(400, 'INVALID_PARAMETER_VALUE', `Job ${String(input.job_id)} does not exist.`)
      }
      const run = runs.start(input, String(RUN_ID_BASE + runs.all().length + 1))
      return { status: 200, body: { run_id: Number(run.id), number_in_job: Number(run.id) } }
    }
    if (request.method === 'GET' && operation === 'runs/get') {
      const run = runs.get(request.query.get('run_id') ?? '')
      if (run === undefined) return error(400, 'INVALID_PARAMETER_VALUE', 'Run does not exist.')
      const [lifeCycle, result] = runs.poll(run).split('/')
      return {
        status: 200,
        body: {
          run_id: Number(run.id),
          state: {
            life_cycle_state: lifeCycle,
            ...(result === undefined ? {} : { result_state: result }),
            state_message: run.script.details?.stateMessage ?? '',
          },
        },
      }
    }
    if (request.method === 'POST' && operation === 'runs/cancel') {
      const input = (jsonBody(request) ?? {}) as { run_id?: unknown }
      const run = runs.get(String(input.run_id))
      if (run === undefined) return error(400, 'INVALID_PARAMETER_VALUE', 'Run does not exist.')
      runs.cancel(run, 'TERMINATED/CANCELED')
      return { status: 200, body: {} }
    }
    return error(404, 'ENDPOINT_NOT_FOUND', `No API found for '${request.method} ${request.path}'`)
  })
  return { ...server, faults, runs }
}
