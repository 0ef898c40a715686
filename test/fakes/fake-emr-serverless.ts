import { type FakeAnswer, type FakeServer, jsonBody, startFakeServer } from './fake-server.ts'
import { answerFault, ScriptedFaults, statusFault } from './scripted-faults.ts'
import { type RunScript, ScriptedRuns } from './scripted-runs.ts'

export type EmrServerlessRunState =
  | 'SUBMITTED'
  | 'PENDING'
  | 'SCHEDULED'
  | 'RUNNING'
  | 'SUCCESS'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELLED'
  | 'QUEUED'

export interface EmrServerlessRunDetails {
  readonly stateDetails?: string
  readonly omitJobRun?: boolean
}

export interface FakeEmrServerless extends FakeServer {
  /** Faults per operation: `StartJobRun`, `GetJobRun`, `CancelJobRun`. */
  readonly faults: ScriptedFaults
  readonly runs: ScriptedRuns<EmrServerlessRunState, EmrServerlessRunDetails>
}

const JOB_RUNS = /^\/applications\/([^/]+)\/jobruns(?:\/([^/]+))?$/

/**
 * A fake Amazon EMR Serverless (REST JSON): `POST /applications/{id}/jobruns` (idempotent on
 * `clientToken`), `GET` and `DELETE /applications/{id}/jobruns/{runId}`. Applications `missing-*` do not exist.
 */
export const startFakeEmrServerless = async (
  script: RunScript<EmrServerlessRunState, EmrServerlessRunDetails> = { states: ['RUNNING', 'SUCCESS'] },
): Promise<FakeEmrServerless> => {
  const faults = new ScriptedFaults()
  const runs = new ScriptedRuns<EmrServerlessRunState, EmrServerlessRunDetails>('00fakerun', script)
  const byToken = new Map<string, string>()
  const server = await startFakeServer((request): FakeAnswer => {
    const match = JOB_RUNS.exec(request.path)
    if (match === null)
      return answerFault(statusFault(404, 'ResourceNotFoundException', 'no such route'), 'rest-json')
    const applicationId = decodeURIComponent(match[1] ?? '')
    const runId = match[2] === undefined ? undefined : decodeURIComponent(match[2])
    const operation =
      request.method === 'POST' && runId === undefined
        ? 'StartJobRun'
        : request.method === 'GET'
          ? 'GetJobRun'
          : request.method === 'DELETE'
            ? 'CancelJobRun'
            : 'Unknown'
    const fault = faults.take(operation)
    if (fault !== undefined) return answerFault(fault, 'rest-json')
    if (applicationId.startsWith('missing-')) {
      return answerFault(
        statusFault(404, 'ResourceNotFoundException', `Application ${applicationId} does not exist`),
        'rest-json',
      )
    }
    if (operation === 'StartJobRun') {
      const input = (jsonBody(request) ?? {}) as Record<string, unknown>
      const token = String(input.clientToken ?? '')
      const existing = byToken.get(token)
      const jobRunId = existing ?? runs.start({ ...input, applicationId }).id
      byToken.set(token, jobRunId)
      return {
        status: 200,
        body: {
          applicationId,
          jobRunId,
          arn: `arn:aws:emr-serverless:us-east-1:1:/applications/${applicationId}/jobruns/${jobRunId}`,
        },
      }
    }
    const run = runs.get(runId ?? '')
    if (run === undefined) {
      return answerFault(
        statusFault(404, 'ResourceNotFoundException', `Job run ${runId ?? ''} does not exist`),
        'rest-json',
      )
    }
    if (operation === 'CancelJobRun') {
      runs.cancel(run, 'CANCELLED')
      return { status: 200, body: { applicationId, jobRunId: run.id } }
    }
    if (run.script.details?.omitJobRun === true) return { status: 200, body: {} }
    const input = run.input as Record<string, unknown>
    return {
      status: 200,
      body: {
        jobRun: {
          applicationId,
          jobRunId: run.id,
          name: input.name,
          state: runs.poll(run),
          stateDetails: run.script.details?.stateDetails ?? '',
          createdAt: 1_767_225_600,
          updatedAt: 1_767_225_660,
          executionRole: input.executionRoleArn,
          releaseLabel: 'emr-7.0.0',
          createdBy: 'arn:aws:iam::1:role/fake',
          arn: `arn:aws:emr-serverless:us-east-1:1:/applications/${applicationId}/jobruns/${run.id}`,
          jobDriver: input.jobDriver ?? {},
        },
      },
    }
  })
  return { ...server, faults, runs }
}
