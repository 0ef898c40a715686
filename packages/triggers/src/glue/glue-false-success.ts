import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { Effect } from 'effect'
import { awsCall } from '../aws/aws-call.ts'
import { sanitizeBody } from '../text/sanitize-body.ts'

/** Where Glue writes driver and insight logs when the run names no group of its own. */
export const DEFAULT_GLUE_LOG_GROUP = '/aws-glue/jobs/logs-v2'
const RCA_PATTERN = 'GlueExceptionAnalysisJobFailed'
/** Driver lines of log4j severity ERROR or FATAL; the quotes and spaces are part of the pattern. */
const DRIVER_ERROR_PATTERN = '?" ERROR " ?" FATAL "'
const DRIVER_LINE_LIMIT_BYTES = 200
const FAILURE_REASON_MARKER = '"Failure Reason":"'

/** The `Failure Reason` of a Glue job-insights RCA event, or "" when it has none. */
export const extractGlueFailureReason = (message: string): string => {
  const start = message.indexOf(FAILURE_REASON_MARKER)
  if (start === -1) return ''
  const from = start + FAILURE_REASON_MARKER.length
  const end = message.indexOf('"', from)
  return end === -1 ? message.slice(from) : message.slice(from, end)
}

const firstEvent = (logs: CloudWatchLogsClient, group: string, stream: string, pattern: string) =>
  awsCall('glue', 'glue status: FilterLogEvents failed', (abortSignal) =>
    logs.send(
      new FilterLogEventsCommand({
        logGroupName: group,
        logStreamNames: [stream],
        filterPattern: pattern,
        limit: 1,
      }),
      { abortSignal },
    ),
  ).pipe(
    Effect.map((output) => output.events?.[0]?.message),
    // A log lookup that fails proves nothing: trust the SUCCEEDED state (ruling T5).
    Effect.orElseSucceed(() => undefined),
  )

/**
 * Why a Glue run that reports SUCCEEDED actually failed, or `undefined` when its logs show nothing
 * (ruling T5): first the job-insights RCA stream, then ERROR/FATAL lines of the driver's stream.
 */
export const glueFalseSuccessReason = (
  logs: CloudWatchLogsClient,
  runId: string,
  logGroupName: string | undefined,
): Effect.Effect<string | undefined> =>
  Effect.gen(function* () {
    const group = logGroupName === undefined || logGroupName === '' ? DEFAULT_GLUE_LOG_GROUP : logGroupName
    const rca = yield* firstEvent(logs, group, `${runId}-job-insights-rca-driver`, RCA_PATTERN)
    if (rca !== undefined) {
      const reason = extractGlueFailureReason(rca)
      return `RCA: ${reason === '' ? 'JobFailed' : sanitizeBody(reason)}`
    }
    const driverLine = yield* firstEvent(logs, group, runId, DRIVER_ERROR_PATTERN)
    if (driverLine !== undefined) {
      const bytes = new TextEncoder().encode(driverLine).subarray(0, DRIVER_LINE_LIMIT_BYTES)
      return `driver log: ${sanitizeBody(bytes)}`
    }
    return undefined
  })
