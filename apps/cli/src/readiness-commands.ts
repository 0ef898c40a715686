import type { ApiClient } from './api-client.ts'
import type { CliIo } from './io.ts'

/** Which run a readiness command means: today's (in the schedule's zone) unless a period is given. */
export interface RunTarget {
  readonly pipelineId: string
  readonly period?: string | undefined
  readonly schedule?: string | undefined
}

interface RuleVerdict {
  readonly key: string
  readonly check: string
  readonly field?: string
  readonly passed: boolean
  readonly reason?: string
}

interface Evaluation {
  readonly scheduleId: string
  readonly period: string
  readonly passed: boolean
  readonly results: ReadonlyArray<RuleVerdict>
}

interface RunNowAnswer extends Evaluation {
  readonly decision: 'triggered' | 'ready' | 'not-ready' | 'duplicate'
  readonly attemptId?: string
}

interface RunRow {
  readonly status: string
  readonly attemptCount: number
  readonly failureReason: string | null
  readonly jobRunId: string | null
  readonly attempts: ReadonlyArray<{ readonly error: string | null; readonly cause: string }>
}

const query = (target: RunTarget): string => {
  const params = new URLSearchParams()
  if (target.period !== undefined) params.set('period', target.period)
  if (target.schedule !== undefined) params.set('schedule', target.schedule)
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

const pipelinePath = (target: RunTarget, tail: string): string =>
  `/api/pipelines/${encodeURIComponent(target.pipelineId)}/${tail}`

const ruleName = (rule: RuleVerdict): string =>
  `${rule.key} ${rule.check}${rule.field === undefined || rule.field === '' ? '' : ` ${rule.field}`}`

/** READY, or NOT_READY with each blocking rule and why, as seed 001's `evaluate` prints it. */
const verdictLines = (pipelineId: string, evaluation: Evaluation): ReadonlyArray<string> => {
  const where = `${pipelineId} ${evaluation.period}${evaluation.scheduleId === 'default' ? '' : ` (${evaluation.scheduleId})`}`
  if (evaluation.passed) return [`READY  ${where}: ${evaluation.results.length} rules pass`]
  const blocking = evaluation.results.filter((rule) => !rule.passed)
  return [
    `NOT_READY  ${where}: ${blocking.length} of ${evaluation.results.length} rules block`,
    ...blocking.map((rule) => `  - ${ruleName(rule)}: ${rule.reason ?? 'did not pass'}`),
  ]
}

/** `interlock evaluate <pipeline>`: readiness now; exit 0 READY, 1 NOT_READY (blocking rules printed). */
export const evaluate = async (
  io: CliIo,
  client: ApiClient,
  target: RunTarget,
  json: boolean,
): Promise<number> => {
  const evaluation = (await client.request(
    'POST',
    `${pipelinePath(target, 'evaluate')}${query(target)}`,
  )) as Evaluation
  if (json) io.out(JSON.stringify(evaluation, null, 2))
  else for (const line of verdictLines(target.pipelineId, evaluation)) io.out(line)
  return evaluation.passed ? 0 : 1
}

const FINISHED = new Set(['succeeded', 'failed', 'validation_exhausted', 'excluded'])

const statusLine = (target: RunTarget, period: string, run: RunRow | null, seconds: number): string => {
  if (run === null) return `${target.pipelineId} ${period}: starting (${seconds}s)`
  const job = run.jobRunId === null ? '' : ` job ${run.jobRunId}`
  return `${target.pipelineId} ${period}: ${run.status} attempt ${run.attemptCount}${job} (${seconds}s)`
}

export interface FollowOptions {
  /** How often the run is read again, and how long to follow it before giving up (exit 1). */
  readonly pollMs: number
  readonly maxWaitMs: number
}

/**
 * `interlock run <pipeline>`: evaluate and trigger if ready (POST …/run), then follow the run to its end
 * with a status line (rewritten in place on a terminal, one line per change when piped). Exit 0 when the
 * job succeeded; 1 when not ready, refused, failed, or still running after `maxWaitMs`.
 */
export const run = async (
  io: CliIo,
  client: ApiClient,
  target: RunTarget,
  options: FollowOptions & { readonly json: boolean },
): Promise<number> => {
  const answer = (await client.request(
    'POST',
    `${pipelinePath(target, 'run')}${query(target)}`,
  )) as RunNowAnswer
  if (answer.decision !== 'triggered' && answer.decision !== 'ready') {
    if (options.json) io.out(JSON.stringify(answer, null, 2))
    else if (answer.decision === 'duplicate')
      io.out(`${target.pipelineId} ${answer.period}: this request was decided before`)
    else for (const line of verdictLines(target.pipelineId, answer)) io.out(line)
    return 1
  }
  if (!options.json) {
    io.out(verdictLines(target.pipelineId, answer)[0] ?? '')
    io.out(
      answer.decision === 'ready'
        ? `ready ${answer.attemptId ?? ''} (readiness-only: no job to start)`
        : `triggered ${answer.attemptId ?? ''}`,
    )
  }
  const runPath = `${pipelinePath(target, `runs/${encodeURIComponent(answer.period)}`)}?schedule=${encodeURIComponent(answer.scheduleId)}`
  const started = Date.now()
  let last = ''
  let current: RunRow | null = null
  for (;;) {
    current = await readRun(client, runPath)
    const seconds = Math.round((Date.now() - started) / 1000)
    const line = statusLine(target, answer.period, current, seconds)
    if (!options.json) {
      if (io.live !== undefined) io.live(line)
      else if (line.replace(/ \(\d+s\)$/, '') !== last) io.out(line)
    }
    last = line.replace(/ \(\d+s\)$/, '')
    if (current !== null && FINISHED.has(current.status)) break
    if (Date.now() - started >= options.maxWaitMs) {
      if (io.live !== undefined && !options.json) io.live('')
      io.err(
        `interlock: ${target.pipelineId} ${answer.period} still ${current?.status ?? 'starting'} after ${Math.round(options.maxWaitMs / 1000)}s; follow it with \`interlock runs ${target.pipelineId}\``,
      )
      return 1
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs))
  }
  if (io.live !== undefined && !options.json) {
    io.live('')
    io.out(last)
  }
  if (options.json) io.out(JSON.stringify({ ...answer, run: current }, null, 2))
  if (current.status === 'succeeded') return 0
  const error = current.attempts.at(-1)?.error
  io.err(
    `interlock: ${target.pipelineId} ${answer.period} ${current.status}${current.failureReason === null ? '' : ` (${current.failureReason})`}${error === null || error === undefined ? '' : `: ${error}`}`,
  )
  return 1
}

/** The run's row, or null while the read model has not caught up with the new run yet. */
const readRun = async (client: ApiClient, path: string): Promise<RunRow | null> => {
  try {
    const { run, attempts } = (await client.get(path)) as {
      run: Omit<RunRow, 'attempts'>
      attempts: RunRow['attempts']
    }
    return { ...run, attempts }
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('the API answered 404')) return null
    throw error
  }
}
