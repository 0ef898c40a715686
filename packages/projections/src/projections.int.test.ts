import { instantFromText, publicEventOf } from '@interlock/domain'
import { START } from '@interlock/eventstore'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isRunEvent, runKeyOf } from './event-tags.ts'
import { listAuditEvents } from './queries/audit-events.ts'
import { getPipeline, listPipelines } from './queries/pipelines.ts'
import { listReruns } from './queries/reruns.ts'
import { getRun, listRuns } from './queries/runs.ts'
import { latestSensors } from './queries/sensors.ts'
import { createTestbed, dailyPipeline, runOf, type Testbed } from './testing/event-history.ts'
import { attemptOf, BRONZE, GOLD, goldRun, playScenario, SHADOW, SILVER } from './testing/scenario.ts'

let bed: Testbed

beforeAll(async () => {
  bed = await createTestbed()
  // Small batches while the history is being written: folds continue across many batch boundaries.
  bed.start({ batchSize: 5 })
  await playScenario(bed.history)
  await bed.caughtUp()
})
afterAll(async () => {
  await bed.close()
})

describe('pipelines projection', () => {
  it('holds the registered config, decoded, with its owner, description and monitoring start', async () => {
    const gold = await getPipeline(bed.pool, GOLD)
    expect(gold).toMatchObject({
      pipelineId: GOLD,
      version: 1,
      paused: false,
      pauseReason: null,
      removed: false,
      owner: 'revenue-team',
      description: 'Gold revenue mart',
      dryRun: false,
      monitoringSince: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
    })
    expect(gold?.config).toEqual(
      dailyPipeline(GOLD, {
        pipeline: { id: GOLD, owner: 'revenue-team', description: 'Gold revenue mart' },
        sla: { deadline: '09:00', expectedDuration: '30m' },
      }),
    )
    expect(gold?.hash).toMatch(/^[0-9a-f]{16}$/)
  })

  it('follows config versions and pauses, keeping monitoring since the first registration', async () => {
    expect(await getPipeline(bed.pool, SILVER)).toMatchObject({
      version: 2,
      owner: 'orders-team',
      description: 'Silver orders',
      paused: true,
      pauseReason: 'warehouse maintenance',
      monitoringSince: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-03T00:00:00.000Z',
    })
    expect((await getPipeline(bed.pool, SHADOW))?.dryRun).toBe(true)
  })

  it('keeps a removed pipeline, flagged, out of listings unless asked for', async () => {
    expect(await getPipeline(bed.pool, BRONZE)).toMatchObject({ removed: true, version: 2 })
    const listed = await listPipelines(bed.pool)
    expect(listed.items.map((pipeline) => pipeline.pipelineId)).toEqual([GOLD, SHADOW, SILVER])
    expect(listed.nextCursor).toBeNull()
    const all = await listPipelines(bed.pool, { includeRemoved: true })
    expect(all.items.map((pipeline) => pipeline.pipelineId)).toEqual([BRONZE, GOLD, SHADOW, SILVER])
    expect(await getPipeline(bed.pool, 'never-registered')).toBeNull()
  })
})

describe('sensors_latest projection', () => {
  it('keeps the reading recorded latest, even when an older period was recorded later in the log', async () => {
    expect(await latestSensors(bed.pool, GOLD)).toEqual([
      {
        pipelineId: GOLD,
        key: 'upstream-complete',
        scheduleId: 'default',
        period: '2026-03-05',
        data: { status: 'ready', date: '2026-03-05' },
        recordedAt: '2026-03-06T06:00:00.000Z',
        source: 'test',
      },
    ])
  })

  it('names the actor that recorded the reading as its source', async () => {
    const [silver] = await latestSensors(bed.pool, SILVER)
    expect(silver).toMatchObject({ period: '2026-03-03', source: 'api:loader' })
    expect(await latestSensors(bed.pool, BRONZE)).toEqual([])
  })
})

describe('runs projection', () => {
  it('records a run that finished after its SLA breach: succeeded, SLA breached', async () => {
    const found = await getRun(bed.pool, goldRun('2026-03-05'))
    expect(found?.run).toEqual({
      pipelineId: GOLD,
      scheduleId: 'default',
      period: '2026-03-05',
      status: 'succeeded',
      dryRun: false,
      attemptCount: 1,
      currentAttemptId: attemptOf(goldRun('2026-03-05'), 1),
      jobRunId: 'jr-2026-03-05-1',
      failureCategory: null,
      failureReason: null,
      rerunCount: 0,
      openedAt: '2026-03-06T06:00:00.000Z',
      firstSensorAt: '2026-03-06T06:00:00.000Z',
      deferredUntil: null,
      startedAt: '2026-03-06T06:00:00.000Z',
      finishedAt: '2026-03-06T09:30:00.000Z',
      lockExpiresAt: '2026-03-06T10:30:00.000Z',
      sla: {
        warningAt: '2026-03-06T08:30:00.000Z',
        breachAt: '2026-03-06T09:00:00.000Z',
        status: 'breached',
      },
      relativeSla: null,
      slaCritical: false,
      postRunStatus: null,
      dryRunTriggeredAt: null,
      configVersion: 1,
      updatedAt: '2026-03-06T09:30:00.000Z',
    })
    expect(found?.attempts).toEqual([
      {
        attemptId: attemptOf(goldRun('2026-03-05'), 1),
        pipelineId: GOLD,
        scheduleId: 'default',
        period: '2026-03-05',
        attemptNumber: 1,
        cause: 'sensor',
        status: 'succeeded',
        sensorKey: 'upstream-complete',
        rerunReason: null,
        jobType: 'command',
        jobRunId: 'jr-2026-03-05-1',
        failureCategory: null,
        failureReason: null,
        error: null,
        evaluations: 1,
        evaluationPassed: true,
        triggerTries: 1,
        polls: 0,
        startedAt: '2026-03-06T06:00:00.000Z',
        jobStartedAt: '2026-03-06T06:00:05.000Z',
        finishedAt: '2026-03-06T09:30:00.000Z',
        lockExpiresAt: '2026-03-06T10:30:00.000Z',
        supersededBy: null,
        cancelRequestedAt: null,
        configVersion: 1,
        updatedAt: '2026-03-06T09:30:00.000Z',
      },
    ])
  })

  it('keeps one row per attempt: a failed attempt and the retry that succeeded', async () => {
    const found = await getRun(bed.pool, goldRun('2026-03-03'))
    expect(found?.run).toMatchObject({
      status: 'succeeded',
      attemptCount: 2,
      jobRunId: 'jr-2026-03-03-2',
      sla: { status: 'met' },
    })
    expect(
      found?.attempts.map(({ attemptNumber, cause, status, failureCategory, failureReason, error }) => ({
        attemptNumber,
        cause,
        status,
        failureCategory,
        failureReason,
        error,
      })),
    ).toEqual([
      {
        attemptNumber: 1,
        cause: 'sensor',
        status: 'failed',
        failureCategory: 'TRANSIENT',
        failureReason: 'job-failed',
        error: 'exit status 1',
      },
      {
        attemptNumber: 2,
        cause: 'job-retry',
        status: 'succeeded',
        failureCategory: null,
        failureReason: null,
        error: null,
      },
    ])
  })

  it('shows reruns as attempts: a manual rerun superseded by a drift rerun, its job asked to cancel', async () => {
    const found = await getRun(bed.pool, goldRun('2026-03-04'))
    expect(found?.run).toMatchObject({
      status: 'evaluating',
      attemptCount: 3,
      rerunCount: 2,
      currentAttemptId: attemptOf(goldRun('2026-03-04'), 3),
      sla: { status: 'met' },
    })
    expect(
      found?.attempts.map(({ status, cause, rerunReason, supersededBy, cancelRequestedAt }) => ({
        status,
        cause,
        rerunReason,
        supersededBy,
        cancelRequestedAt,
      })),
    ).toEqual([
      {
        status: 'succeeded',
        cause: 'sensor',
        rerunReason: null,
        supersededBy: null,
        cancelRequestedAt: null,
      },
      {
        status: 'superseded',
        cause: 'rerun',
        rerunReason: 'manual',
        supersededBy: attemptOf(goldRun('2026-03-04'), 3),
        cancelRequestedAt: '2026-03-05T10:30:00.000Z',
      },
      {
        status: 'evaluating',
        cause: 'rerun',
        rerunReason: 'data-drift',
        supersededBy: null,
        cancelRequestedAt: null,
      },
    ])
  })

  it('has a waiting row for a period with events but no attempt, and a dry-run row that never starts', async () => {
    expect((await getRun(bed.pool, goldRun('2026-03-02')))?.run).toMatchObject({
      status: 'waiting',
      attemptCount: 0,
    })
    expect((await getRun(bed.pool, runOf(SHADOW, '2026-03-05')))?.run).toMatchObject({
      status: 'waiting',
      dryRun: true,
      dryRunTriggeredAt: '2026-03-06T06:00:00.000Z',
    })
    expect(await getRun(bed.pool, goldRun('2026-02-01'))).toBeNull()
  })

  it('lists a pipeline runs newest period first, by status when asked', async () => {
    const page = await listRuns(bed.pool, GOLD)
    expect(page.items.map((run) => run.period)).toEqual([
      '2026-03-05',
      '2026-03-04',
      '2026-03-03',
      '2026-03-02',
    ])
    const succeeded = await listRuns(bed.pool, GOLD, { status: 'succeeded' })
    expect(succeeded.items.map((run) => run.period)).toEqual(['2026-03-05', '2026-03-03'])
  })
})

describe('reruns projection', () => {
  it('records every decided request newest first, accepted or rejected, and why', async () => {
    const page = await listReruns(bed.pool, { pipelineId: GOLD })
    expect(
      page.items.map(({ requestId, period, reason, outcome, why, attemptId, used, budget }) => ({
        requestId,
        period,
        reason,
        outcome,
        why,
        attemptId,
        used,
        budget,
      })),
    ).toEqual([
      {
        requestId: 'manual-3',
        period: '2026-03-04',
        reason: 'manual',
        outcome: 'rejected',
        why: 'manual rerun limit exceeded',
        attemptId: null,
        used: 1,
        budget: 1,
      },
      {
        requestId: 'drift-1',
        period: '2026-03-04',
        reason: 'data-drift',
        outcome: 'accepted',
        why: 'circuit breaker skipped (latest outcome not success)',
        attemptId: attemptOf(goldRun('2026-03-04'), 3),
        used: 0,
        budget: 1,
      },
      {
        requestId: 'manual-1',
        period: '2026-03-04',
        reason: 'manual',
        outcome: 'accepted',
        why: 'circuit breaker passed',
        attemptId: attemptOf(goldRun('2026-03-04'), 2),
        used: 0,
        budget: 1,
      },
      {
        requestId: 'manual-2',
        period: '2026-03-02',
        reason: 'manual',
        outcome: 'rejected',
        why: 'the period never ran, so there is nothing to rerun',
        attemptId: null,
        used: null,
        budget: null,
      },
    ])
    expect(page.items[0]).toMatchObject({ dryRun: false, decidedAt: '2026-03-05T11:00:00.000Z' })
    expect((await listReruns(bed.pool, { pipelineId: SILVER })).items).toEqual([])
  })
})

describe('audit_events projection', () => {
  it('holds the public events of a run newest first, with message, severity and full detail', async () => {
    const page = await listAuditEvents(bed.pool, { pipelineId: GOLD, period: '2026-03-05' })
    // The verdict after an announced breach is kept in the log but not published again (L9).
    expect(page.items.map((event) => [event.type, event.sourceType, event.occurredAt])).toEqual([
      ['JOB_COMPLETED', 'JobSucceeded', '2026-03-06T09:30:00.000Z'],
      ['SLA_BREACH', 'SlaBreachRaised', '2026-03-06T09:00:00.000Z'],
      ['SLA_WARNING', 'SlaWarningRaised', '2026-03-06T08:30:00.000Z'],
      ['JOB_TRIGGERED', 'JobStarted', '2026-03-06T06:00:05.000Z'],
      ['VALIDATION_PASSED', 'RunEvaluated', '2026-03-06T06:00:01.000Z'],
    ])
    const warning = page.items[2]
    expect(warning).toMatchObject({
      type: 'SLA_WARNING',
      sourceType: 'SlaWarningRaised',
      pipelineId: GOLD,
      scheduleId: 'default',
      period: '2026-03-05',
      attemptId: null,
      severity: 'warning',
      alert: true,
      message: 'pipeline gold-revenue: SLA_WARNING',
      detail: { status: 'RUNNING', source: 'schedule', breachAt: '2026-03-06T09:00:00.000Z' },
    })
    // The full detail (D19): exactly what the domain publishes for the stored event, nothing dropped.
    const { events } = await bed.store.readAll(START, { limit: 10_000 })
    const source = events.find((recorded) => recorded.globalPosition === warning?.id)
    expect(
      source !== undefined && isRunEvent(source) && publicEventOf(source.event, runKeyOf(source)),
    ).toEqual(expect.objectContaining({ detail: warning?.detail, message: warning?.message }))
    expect(page.items[3]).toMatchObject({
      attemptId: attemptOf(goldRun('2026-03-05'), 1),
      alert: false,
      detail: { runId: 'jr-2026-03-05-1' },
    })
  })

  it('is keyed by the global position of the event that published it', async () => {
    const [breach] = (await listAuditEvents(bed.pool, { types: ['SLA_BREACH'], limit: 1 })).items
    const { rows } = await bed.pool.query<{ type: string }>(
      'select type from events where global_position = $1',
      [breach?.id.toString()],
    )
    expect(rows).toEqual([{ type: 'SlaBreachRaised' }])
  })

  it('holds exactly the events publicEventOf publishes: none of the internal facts', async () => {
    const published: Array<bigint> = []
    const { events } = await bed.store.readAll(START, { limit: 10_000 })
    for (const recorded of events) {
      if (isRunEvent(recorded) && publicEventOf(recorded.event, runKeyOf(recorded)) !== null) {
        published.push(recorded.globalPosition)
      }
    }
    const stored = await bed.pool.query<{ id: string }>('select id from audit_events order by id')
    expect(stored.rows.map((row) => BigInt(row.id))).toEqual(published)
    expect(published.length).toBeGreaterThan(20)
    expect(published.length).toBeLessThan(events.length)
  })

  it('filters by type and time (since inclusive, until exclusive)', async () => {
    const breaches = await listAuditEvents(bed.pool, {
      types: ['SLA_BREACH', 'RELATIVE_SLA_BREACH'],
      since: instantFromText('2026-03-06T09:00:00Z'),
      until: instantFromText('2026-03-06T09:30:00Z'),
    })
    expect(breaches.items.map((event) => [event.sourceType, event.occurredAt])).toEqual([
      ['SlaBreachRaised', '2026-03-06T09:00:00.000Z'],
    ])
    const dryRun = await listAuditEvents(bed.pool, { pipelineId: SHADOW })
    expect(dryRun.items.map((event) => event.type)).toEqual(['DRY_RUN_COMPLETED', 'DRY_RUN_WOULD_TRIGGER'])
  })
})
