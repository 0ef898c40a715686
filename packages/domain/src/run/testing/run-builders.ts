import { Schema } from 'effect'
import { PipelineConfig, type PipelineConfigJson } from '../../config/pipeline-config.ts'
import { type AttemptId, attemptIdFor } from '../../shared/attempt-id.ts'
import { deciderSpecification } from '../../shared/decider-specification.ts'
import { epochMillisOf, type Instant, instantFromText } from '../../shared/instant.ts'
import type { RunKey } from '../../shared/run-key.ts'
import type { RunCommand } from '../commands.ts'
import type { RunContext } from '../context.ts'
import { decide } from '../decide.ts'
import type { RunEvent, RunEventOf } from '../events.ts'
import type { RunRejection } from '../rejections.ts'
import { evolve, initialRunState, type RunState } from '../state.ts'

// Test-data builders with the defaults of the original's fixtures (lifecycle §11): pipeline
// `gold-revenue`, period `2026-03-01`, trigger `upstream-complete` status equals `ready`, 1 h / 5 m window.

export const RUN: RunKey = { pipelineId: 'gold-revenue', scheduleId: 'default', period: '2026-03-01' }

/** A decoded config from JSON, with the fixture defaults underneath. */
export const config = (overrides: Partial<PipelineConfigJson> = {}): PipelineConfig =>
  Schema.decodeUnknownSync(PipelineConfig)({
    pipeline: { id: RUN.pipelineId },
    schedule: {
      trigger: { key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' },
      evaluation: { window: '1h', interval: '5m' },
    },
    validation: {
      trigger: 'ALL',
      rules: [{ key: 'upstream-complete', check: 'equals', field: 'status', value: 'ready' }],
    },
    job: { type: 'command', config: { command: 'run-etl --date {{date}}' }, maxRetries: 2 },
    ...overrides,
  })

/** An instant from text. */
export const at = (text: string): Instant => instantFromText(text)

/** A decision context at `now` (ISO text) for the default run. */
export const context = (now: string, overrides: Partial<RunContext> = {}): RunContext => ({
  now: epochMillisOf(at(now)),
  run: RUN,
  config: config(),
  configVersion: 1,
  paused: false,
  ...overrides,
})

/** Attempt `n` of the default run. */
export const attempt = (n: number): AttemptId => attemptIdFor(RUN, n)

/** given / when / then for the run decider. */
export const given = deciderSpecification<RunCommand, RunState, RunEvent, RunRejection, RunContext>({
  initialState: initialRunState,
  decide,
  evolve,
})

/** Runs commands one after another, each at its instant, and returns every event appended. */
export const play = (
  steps: ReadonlyArray<readonly [string, RunCommand, Partial<RunContext>?]>,
  start: ReadonlyArray<RunEvent> = [],
): { readonly events: ReadonlyArray<RunEvent>; readonly state: RunState } => {
  let state = start.reduce(evolve, initialRunState)
  const events: Array<RunEvent> = [...start]
  for (const [now, command, overrides] of steps) {
    const decision = decide(command, state, context(now, overrides))
    if (decision._tag === 'Left')
      throw new Error(`${command._tag} at ${now} was rejected: ${decision.left.message}`)
    events.push(...decision.right)
    state = decision.right.reduce(evolve, state)
  }
  return { events, state }
}

/** The events of one type. */
export const ofType = <Tag extends RunEvent['_tag']>(
  events: ReadonlyArray<RunEvent>,
  tag: Tag,
): Array<RunEventOf<Tag>> =>
  events.filter((candidate): candidate is RunEventOf<Tag> => candidate._tag === tag)

/** The event types, in order. */
export const tags = (events: ReadonlyArray<RunEvent>): Array<string> =>
  events.map((candidate) => candidate._tag)

// Commands.
export const sensor = (key: string, data: Record<string, unknown>): RunCommand => ({
  _tag: 'RecordSensorReading',
  key,
  data,
})
export const ready = (): RunCommand => sensor('upstream-complete', { status: 'ready' })
export const evaluate = (n: number, attemptNumber = 1): RunCommand => ({
  _tag: 'EvaluateRun',
  attemptId: attempt(attemptNumber),
  evaluationNumber: n,
})
export const jobStarted = (attemptNumber = 1, triggerTry = 1, runId = 'jr-12345'): RunCommand => ({
  _tag: 'RecordJobStarted',
  attemptId: attempt(attemptNumber),
  triggerTry,
  jobType: 'command',
  runId,
  metadata: { runId },
  synchronous: false,
})
export const triggerFailure = (
  attemptNumber = 1,
  triggerTry = 1,
  category?: 'PERMANENT' | 'TRANSIENT' | 'TIMEOUT',
): RunCommand => ({
  _tag: 'RecordTriggerFailure',
  attemptId: attempt(attemptNumber),
  triggerTry,
  error: 'trigger execute: ConcurrentRunsExceededException',
  ...(category !== undefined ? { category } : {}),
})
export const poll = (n: number, attemptNumber = 1): RunCommand => ({
  _tag: 'PollJob',
  attemptId: attempt(attemptNumber),
  pollNumber: n,
})
export const jobStatus = (
  n: number,
  status: 'running' | 'succeeded' | 'failed' | 'timeout',
  attemptNumber = 1,
  category?: 'PERMANENT' | 'TRANSIENT' | 'TIMEOUT',
): RunCommand => ({
  _tag: 'RecordJobStatus',
  attemptId: attempt(attemptNumber),
  pollNumber: n,
  status,
  ...(status === 'failed' ? { message: 'glue job FAILED' } : {}),
  ...(category !== undefined ? { category } : {}),
})
export const completion = (
  outcome: 'success' | 'fail' | 'timeout',
  attemptNumber = 1,
  category?: 'PERMANENT' | 'TRANSIENT' | 'TIMEOUT',
): RunCommand => ({
  _tag: 'RecordJobCompletion',
  attemptId: attempt(attemptNumber),
  outcome,
  ...(category !== undefined ? { category } : {}),
})
export const rerun = (requestId: string, reason?: string): RunCommand => ({
  _tag: 'RequestRerun',
  requestId,
  ...(reason !== undefined ? { reason } : {}),
})

/** A run that triggered its job: sensor at 06:00, passing evaluation, job started (attempt 1, polling). */
export const triggeredRun = (overrides: Partial<RunContext> = {}): ReadonlyArray<RunEvent> =>
  play([
    ['2026-03-02T06:00:00Z', ready(), overrides],
    ['2026-03-02T06:00:01Z', evaluate(1), overrides],
    ['2026-03-02T06:00:05Z', jobStarted(), overrides],
  ]).events

/** A run whose job succeeded at 07:00 (attempt 1, completed). */
export const succeededRun = (overrides: Partial<RunContext> = {}): ReadonlyArray<RunEvent> =>
  play([['2026-03-02T07:00:00Z', completion('success'), overrides]], triggeredRun(overrides)).events
