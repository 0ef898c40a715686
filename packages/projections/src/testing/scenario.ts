import { attemptIdFor, type RunCommand, type RunKey } from '@interlock/domain'
import { dailyPipeline, type EventHistory, runOf } from './event-history.ts'

// One history that exercises every projection: the fixtures of the original (gold-revenue), a pipeline
// whose config changes and pauses, a removed one, and a dry-run one.

export const GOLD = 'gold-revenue'
export const SILVER = 'silver-orders'
export const BRONZE = 'bronze-legacy'
export const SHADOW = 'shadow-orders'

export const goldRun = (period: string): RunKey => runOf(GOLD, period)
export const attemptOf = (run: RunKey, n: number) => attemptIdFor(run, n)

const ready = (date: string, extra: Record<string, unknown> = {}): RunCommand => ({
  _tag: 'RecordSensorReading',
  key: 'upstream-complete',
  data: { status: 'ready', date, ...extra },
})
const evaluate = (run: RunKey, attempt = 1, n = 1): RunCommand => ({
  _tag: 'EvaluateRun',
  attemptId: attemptOf(run, attempt),
  evaluationNumber: n,
})
const jobStarted = (run: RunKey, attempt = 1, runId = `jr-${run.period}-${attempt}`): RunCommand => ({
  _tag: 'RecordJobStarted',
  attemptId: attemptOf(run, attempt),
  triggerTry: 1,
  jobType: 'command',
  runId,
  metadata: { runId },
  synchronous: false,
})
const completion = (
  run: RunKey,
  outcome: 'success' | 'fail',
  attempt = 1,
  category?: 'TRANSIENT' | 'PERMANENT',
): RunCommand => ({
  _tag: 'RecordJobCompletion',
  attemptId: attemptOf(run, attempt),
  outcome,
  ...(outcome === 'fail' ? { error: 'exit status 1' } : {}),
  ...(category === undefined ? {} : { category }),
})

export async function playScenario(history: EventHistory): Promise<void> {
  await history.register(
    dailyPipeline(GOLD, {
      pipeline: { id: GOLD, owner: 'revenue-team', description: 'Gold revenue mart' },
      sla: { deadline: '09:00', expectedDuration: '30m' },
    }),
    '2026-03-01T00:00:00Z',
  )
  await history.register(dailyPipeline(SILVER), '2026-03-01T00:00:00Z')
  await history.register(dailyPipeline(BRONZE), '2026-03-01T00:00:00Z')
  await history.register(dailyPipeline(SHADOW, { dryRun: true }), '2026-03-01T00:00:00Z')

  // 2026-03-05: the job runs past the SLA: warning, breach, then success after breach (verdict breached).
  const breached = goldRun('2026-03-05')
  await history.run(breached, [
    ['2026-03-06T06:00:00Z', ready('2026-03-05')],
    ['2026-03-06T06:00:01Z', evaluate(breached)],
    ['2026-03-06T06:00:05Z', jobStarted(breached)],
    ['2026-03-06T08:30:00Z', { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'warning' }],
    ['2026-03-06T09:00:00Z', { _tag: 'FireSlaTimer', kind: 'absolute', alert: 'breach' }],
    ['2026-03-06T09:30:00Z', completion(breached, 'success')],
  ])

  // 2026-03-04: success before the SLA (met); a manual rerun (attempt 2, the circuit breaker passes on
  // the fresh updatedAt), superseded by a data-drift rerun (attempt 3); a second manual rerun is refused
  // by its budget.
  const met = goldRun('2026-03-04')
  await history.run(met, [
    ['2026-03-05T06:00:00Z', ready('2026-03-04')],
    ['2026-03-05T06:00:01Z', evaluate(met)],
    ['2026-03-05T06:00:05Z', jobStarted(met)],
    ['2026-03-05T07:00:00Z', completion(met, 'success')],
    ['2026-03-05T10:00:00Z', { _tag: 'RequestRerun', requestId: 'manual-1' }],
    ['2026-03-05T10:00:01Z', evaluate(met, 2)],
    ['2026-03-05T10:00:05Z', jobStarted(met, 2)],
    ['2026-03-05T10:30:00Z', { _tag: 'RequestRerun', requestId: 'drift-1', reason: 'data-drift' }],
    ['2026-03-05T11:00:00Z', { _tag: 'RequestRerun', requestId: 'manual-3' }],
  ])

  // 2026-03-03: a transient job failure is retried with attempt 2, which succeeds.
  const retried = goldRun('2026-03-03')
  await history.run(retried, [
    ['2026-03-04T06:00:00Z', ready('2026-03-03')],
    ['2026-03-04T06:00:01Z', evaluate(retried)],
    ['2026-03-04T06:00:05Z', jobStarted(retried)],
    ['2026-03-04T06:30:00Z', completion(retried, 'fail', 1, 'TRANSIENT')],
    ['2026-03-04T06:30:01Z', evaluate(retried, 2)],
    ['2026-03-04T06:30:05Z', jobStarted(retried, 2)],
    ['2026-03-04T07:30:00Z', completion(retried, 'success', 2)],
  ])

  // 2026-03-02: a rerun of a period that never ran cannot run (INFRA_FAILURE).
  await history.run(goldRun('2026-03-02'), [
    ['2026-03-03T12:00:00Z', { _tag: 'RequestRerun', requestId: 'manual-2' }],
  ])

  // silver-orders: a new config version, then paused.
  await history.register(
    dailyPipeline(SILVER, { pipeline: { id: SILVER, owner: 'orders-team', description: 'Silver orders' } }),
    '2026-03-02T00:00:00Z',
  )
  await history.pipeline(
    SILVER,
    { _tag: 'PausePipeline', reason: 'warehouse maintenance' },
    '2026-03-03T00:00:00Z',
  )
  await history.run(
    runOf(SILVER, '2026-03-03'),
    [['2026-03-04T05:00:00Z', ready('2026-03-03')]],
    'api:loader',
  )

  // bronze-legacy: removed.
  await history.pipeline(BRONZE, { _tag: 'RemovePipeline' }, '2026-03-02T00:00:00Z')

  // shadow-orders: a dry run observes what it would have triggered.
  await history.run(runOf(SHADOW, '2026-03-05'), [['2026-03-06T06:00:00Z', ready('2026-03-05')]])
}
