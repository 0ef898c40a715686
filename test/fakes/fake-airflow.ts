import { type FakeAnswer, type FakeServer, jsonBody, startFakeServer } from './fake-server.ts'
import { answerFault, ScriptedFaults } from './scripted-faults.ts'
import { type RunScript, ScriptedRuns } from './scripted-runs.ts'

export type DagRunState = 'queued' | 'running' | 'success' | 'failed' | 'up_for_retry'

export interface DagRunDetails {
  /** Answer the trigger without a `dag_run_id`. */
  readonly omitRunId?: boolean
  /** Answer status polls without a `state`. */
  readonly omitState?: boolean
}

export interface FakeAirflow extends FakeServer {
  /** Faults per operation: `triggerDagRun`, `getDagRun`, `patchDagRun`. */
  readonly faults: ScriptedFaults
  readonly runs: ScriptedRuns<DagRunState, DagRunDetails>
}

const DAG_RUNS = /^\/api\/(v1|v2)\/dags\/([^/]+)\/dagRuns(?:\/([^/]+))?$/

export interface FakeAirflowOptions {
  /** When set, every request must carry exactly this Authorization header, or gets 401. */
  readonly authorization?: string
}

/**
 * A fake Apache Airflow REST API, v1 and v2: `POST /api/v{1,2}/dags/{dag}/dagRuns`, `GET` and `PATCH
 * /api/v{1,2}/dags/{dag}/dagRuns/{runId}`. DAGs named `missing_*` do not exist (404).
 */
export const startFakeAirflow = async (
  options: FakeAirflowOptions = {},
  script: RunScript<DagRunState, DagRunDetails> = { states: ['running', 'success'] },
): Promise<FakeAirflow> => {
  const faults = new ScriptedFaults()
  const runs = new ScriptedRuns<DagRunState, DagRunDetails>('manual__2026-01-05T06:00:00+00:00#', script)
  const problem = (status: number, title: string, detail: string): FakeAnswer => ({
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ status, title, detail, type: 'about:blank' }),
  })
  const server = await startFakeServer((request): FakeAnswer => {
    const match = DAG_RUNS.exec(request.path)
    if (match === null) return problem(404, 'Not Found', 'no such route')
    if (options.authorization !== undefined && request.headers.authorization !== options.authorization) {
      return problem(401, 'Unauthorized', 'invalid credentials')
    }
    const dagId = decodeURIComponent(match[2] ?? '')
    const runId = match[3] === undefined ? undefined : decodeURIComponent(match[3])
    const operation =
      request.method === 'POST' ? 'triggerDagRun' : request.method === 'PATCH' ? 'patchDagRun' : 'getDagRun'
    const fault = faults.take(operation)
    if (fault !== undefined) return answerFault(fault, 'text')
    if (dagId.startsWith('missing_'))
      return problem(404, 'DAG not found', `DAG with dag_id: '${dagId}' not found`)
    if (operation === 'triggerDagRun') {
      const run = runs.start({ dagId, version: match[1], body: jsonBody(request) })
      if (run.script.details?.omitRunId === true)
        return { status: 200, body: { dag_id: dagId, state: 'queued' } }
      return { status: 200, body: { dag_run_id: run.id, dag_id: dagId, state: 'queued', conf: {} } }
    }
    const run = runs.get(runId ?? '')
    if (run === undefined)
      return problem(
        404,
        'DAGRun not found',
        `DAGRun with DAG ID: '${dagId}' and DagRun ID: '${runId ?? ''}' not found`,
      )
    if (operation === 'patchDagRun') {
      const body = jsonBody(request) as { state?: DagRunState } | undefined
      runs.cancel(run, body?.state ?? 'failed')
      return { status: 200, body: { dag_run_id: run.id, dag_id: dagId, state: body?.state ?? 'failed' } }
    }
    if (run.script.details?.omitState === true)
      return { status: 200, body: { dag_run_id: run.id, dag_id: dagId } }
    return { status: 200, body: { dag_run_id: run.id, dag_id: dagId, state: runs.poll(run) } }
  })
  return { ...server, faults, runs }
}
