import { hash } from 'node:crypto'
import { holdsUnstorableText, PIPELINE_ID_PATTERN, PipelineId, unstorableText } from '@interlock/domain'
import type { Queryable } from '@interlock/eventstore'
import type { CommandBus, SensorRecorded } from '@interlock/processor'
import { latestSensors } from '@interlock/projections'
import { Either, Schema } from 'effect'
import { Hono, type MiddlewareHandler } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { Scope } from '../auth/scope.ts'
import { commandSource } from '../http/command-source.ts'
import { decodeInput, decodeInputEither } from '../http/decode-input.ts'
import { IdempotencyKeyReused } from '../http/http-errors.ts'
import { jsonAnswer } from '../http/json-answer.ts'
import { problemOf } from '../http/problem-details.ts'
import { readJsonBody } from '../http/read-body.ts'
import { RunOutcomeAnswer, runOutcomeAnswer } from '../http/run-outcome-answer.ts'
import { type IdempotentAnswers, requestFingerprint } from '../idempotency/idempotent-answers.ts'
import type { MetricsRegistry } from '../metrics/metrics-registry.ts'
import { documented, type Operation } from '../openapi/operation.ts'

const PUSHED_SENSOR_KEY_PATTERN = /^[^\s#]{1,256}(#[0-9]{4}-?[0-9]{2}-?[0-9]{2}(T[0-9]{2})?)?$/

/** A sensor key as the log can store it: the pattern, no NUL, whole characters (no lone UTF-16 surrogate). */
function isPushedSensorKey(key: string): boolean {
  return PUSHED_SENSOR_KEY_PATTERN.test(key) && storable(key)
}

function storable(key: string): boolean {
  return !key.includes('\u0000') && key.isWellFormed()
}

/** A pushed sensor key: a rule's key, optionally with a `#<period>` suffix for per-period sensors (R2). */
export const PushedSensorKey = Schema.String.pipe(
  Schema.pattern(PUSHED_SENSOR_KEY_PATTERN, {
    message: (issue) =>
      `${JSON.stringify(issue.actual)} is not a sensor key; use 1–256 characters without spaces or "#", optionally followed by #YYYY-MM-DD or #YYYY-MM-DDTHH`,
  }),
  Schema.filter(storable, {
    message: (issue) =>
      `${JSON.stringify(issue.actual)} is not a sensor key: it holds a NUL character or half a UTF-16 surrogate pair, which cannot be stored`,
  }),
).annotations({ identifier: 'PushedSensorKey' })

const SensorFields = Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
  message: (issue) => `must be a JSON object of sensor fields, got ${JSON.stringify(issue.actual)}`,
})

/**
 * The map the rules read (R1): a JSON object. A `"__proto__"` field is refused: decoding makes it the
 * object's prototype, so the rules would read fields through it that the stored reading (own fields
 * only) does not carry, and a replay would decide otherwise. A string the log cannot store (a NUL, a
 * lone surrogate) is refused naming its field.
 */
export const SensorData = SensorFields.pipe(
  Schema.filter((data) => {
    const prototype = Object.getPrototypeOf(data)
    if (prototype !== Object.prototype && prototype !== null) {
      return '"__proto__" cannot be a sensor field: JSON readers take it for the object\'s prototype'
    }
    const unstorable = unstorableText(data)
    return unstorable === undefined || `field ${JSON.stringify(unstorable.path)} ${unstorable.message}`
  }),
).annotations({
  identifier: 'SensorData',
  description:
    'The reading: fields the rules read; `date` (YYYY-MM-DD or YYYYMMDD) and `hour` (00–23) name its period.',
})

/** An Idempotency-Key header, or a batch item's `id`: the same value twice stores one reading. */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

export const IdempotencyKey = Schema.String.pipe(
  Schema.pattern(IDEMPOTENCY_KEY_PATTERN, {
    message: () => 'an idempotency key is 1–255 visible ASCII characters (no spaces)',
  }),
)

export const SensorParams = Schema.Struct({ id: PipelineId, key: PushedSensorKey })

/** One reading of a batch. */
export const SensorBatchItem = Schema.Struct({
  pipelineId: PipelineId,
  key: PushedSensorKey,
  data: SensorData,
  id: Schema.optional(IdempotencyKey),
}).annotations({ identifier: 'SensorBatchItem' })

/** A JSON object as JSON.parse makes it: what SensorData accepts without looking further. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** Sensor data that is plainly a JSON object, as SensorData decodes it; anything else is the Schema's to judge. */
export function plainSensorData(value: unknown): Record<string, unknown> | undefined {
  // A `__proto__` key the Schema turns into a prototype (JSON.parse keeps it as an own key), or text the
  // log cannot store: its way.
  return isPlainObject(value) && !Object.hasOwn(value, '__proto__') && !holdsUnstorableText(value)
    ? value
    : undefined
}

/** A sensor route's path parameters that are plainly valid, as SensorParams decodes them. */
export function plainSensorParams(params: unknown): typeof SensorParams.Type | undefined {
  if (!isPlainObject(params)) return undefined
  for (const field in params) if (field !== 'id' && field !== 'key') return undefined
  const { id, key } = params
  if (typeof id !== 'string' || !PIPELINE_ID_PATTERN.test(id)) return undefined
  if (typeof key !== 'string' || !isPushedSensorKey(key)) return undefined
  return { id: id as PipelineId, key }
}

/**
 * A batch item that is plainly valid, decoded without the Schema, which costs more than the rest of a
 * reading's way through this process; anything else (every invalid item among them) is left to the Schema,
 * whose answer and problems stand. It never accepts what SensorBatchItem refuses (a property test holds
 * the two together).
 */
export function plainSensorBatchItem(raw: unknown): typeof SensorBatchItem.Type | undefined {
  if (!isPlainObject(raw)) return undefined
  for (const field in raw) {
    if (field !== 'pipelineId' && field !== 'key' && field !== 'data' && field !== 'id') return undefined
  }
  const { pipelineId, key, data, id } = raw
  if (typeof pipelineId !== 'string' || !PIPELINE_ID_PATTERN.test(pipelineId)) return undefined
  if (typeof key !== 'string' || !isPushedSensorKey(key)) return undefined
  const plainData = plainSensorData(data)
  if (plainData === undefined) return undefined
  if (id === undefined) {
    return Object.hasOwn(raw, 'id')
      ? undefined
      : { pipelineId: pipelineId as PipelineId, key, data: plainData }
  }
  if (typeof id !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(id)) return undefined
  return { pipelineId: pipelineId as PipelineId, key, data: plainData, id }
}

/** The most readings one batch may carry. */
export const MAX_BATCH_READINGS = 1_000

export const SensorBatchEnvelope = Schema.Struct({
  readings: Schema.Array(Schema.Unknown).pipe(Schema.minItems(1), Schema.maxItems(MAX_BATCH_READINGS)),
})

/**
 * A batch body that is plainly `{readings: [...]}` with 1 to MAX_BATCH_READINGS items, as
 * SensorBatchEnvelope decodes it; anything else is the Schema's to judge (and to explain).
 */
export function plainSensorBatchEnvelope(body: unknown): typeof SensorBatchEnvelope.Type | undefined {
  if (!isPlainObject(body)) return undefined
  for (const field in body) if (field !== 'readings') return undefined
  const { readings } = body
  if (!Array.isArray(readings) || readings.length < 1 || readings.length > MAX_BATCH_READINGS)
    return undefined
  return { readings }
}

/** What the batch route accepts, for the documentation (items are decoded one by one with SensorBatchItem). */
export const SensorBatch = Schema.Struct({
  readings: Schema.Array(SensorBatchItem).pipe(Schema.minItems(1), Schema.maxItems(MAX_BATCH_READINGS)),
}).annotations({ identifier: 'SensorBatch' })

export const SensorAnswer = Schema.Struct({
  pipelineId: Schema.String,
  key: Schema.String,
  runs: Schema.Array(RunOutcomeAnswer),
}).annotations({ identifier: 'SensorRecorded' })
type SensorAnswer = typeof SensorAnswer.Type

const ItemProblem = Schema.Struct({ path: Schema.String, message: Schema.String })

export const SensorBatchAnswer = Schema.Struct({
  accepted: Schema.Int,
  rejected: Schema.Int,
  results: Schema.Array(
    Schema.Struct({
      index: Schema.Int,
      id: Schema.optional(Schema.String),
      status: Schema.Int,
      runs: Schema.optional(Schema.Array(RunOutcomeAnswer)),
      type: Schema.optional(Schema.String),
      detail: Schema.optional(Schema.String),
      errors: Schema.optional(Schema.Array(ItemProblem)),
    }),
  ),
}).annotations({ identifier: 'SensorBatchResult' })
type BatchResult = (typeof SensorBatchAnswer.Type)['results'][number]

export const sensorOperations: ReadonlyArray<Operation> = [
  {
    method: 'get',
    path: '/api/pipelines/{id}/sensors',
    tag: 'sensors',
    summary: 'The latest reading of every sensor key of the pipeline (one page: keys are few).',
    scope: 'read',
    pathParams: [{ name: 'id', description: 'pipeline id' }],
    responses: { 200: { description: 'the latest readings' } },
  },
  {
    method: 'post',
    path: '/api/pipelines/{id}/sensors/{key}',
    tag: 'sensors',
    summary:
      'Record one sensor reading in the period its date/hour name, in every schedule of the pipeline. With Idempotency-Key, the same key twice stores one reading and answers as the first time.',
    scope: 'sensors:write',
    pathParams: [
      { name: 'id', description: 'pipeline id' },
      { name: 'key', description: 'sensor key (URL-encode a #period suffix as %23)' },
    ],
    headers: [{ name: 'Idempotency-Key', description: '1–255 visible ASCII characters' }],
    body: { schema: documented(SensorData), contentTypes: ['application/json'] },
    responses: {
      201: { description: 'recorded', schema: documented(SensorAnswer) },
      200: { description: 'nothing new (a duplicate)', schema: documented(SensorAnswer) },
      404: { description: 'unknown pipeline; nothing stored' },
      422: { description: 'Idempotency-Key reused for a different request' },
    },
  },
  {
    method: 'post',
    path: '/api/sensors',
    tag: 'sensors',
    summary: `Record up to ${MAX_BATCH_READINGS} readings; each gets its own result (status, runs or errors). An item's id makes it idempotent.`,
    scope: 'sensors:write',
    body: { schema: documented(SensorBatch), contentTypes: ['application/json'] },
    responses: { 200: { description: 'per-item results', schema: documented(SensorBatchAnswer) } },
  },
]

type Commands = Pick<CommandBus, 'recordSensor' | 'recordSensors'>

function commandIdFor(scope: string, key: string): string {
  return hash('sha256', `${scope}\u0000${key}`, 'base64url')
}

/** A reading's runs as answered, and its status: 201 when it recorded something, else 200. */
function runsAnswer(recorded: SensorRecorded): { status: 200 | 201; runs: RunOutcomeAnswer[] } {
  const runs = recorded.runs.map(({ run, outcome }) => runOutcomeAnswer(run, outcome))
  return { status: runs.some((run) => run.result === 'recorded') ? 201 : 200, runs }
}

function sensorAnswer(recorded: SensorRecorded): { status: number; body: SensorAnswer } {
  const { status, runs } = runsAnswer(recorded)
  return { status, body: { pipelineId: recorded.pipelineId, key: recorded.key, runs } }
}

function appendedBy(recorded: SensorRecorded): number {
  let appended = 0
  for (const { outcome } of recorded.runs) if (outcome._tag === 'Accepted') appended += outcome.events.length
  return appended
}

function countAppended(metrics: MetricsRegistry, appended: number): void {
  if (appended > 0) {
    metrics.increment('interlock_api_events_appended_total', 'Events appended by API commands.', {}, appended)
  }
}

/** Sensor readings: one at a time (idempotent by header) or in batches. */
export function sensorRoutes(deps: {
  readonly commands: Commands
  readonly readModels: Queryable
  readonly idempotency: IdempotentAnswers
  readonly metrics: MetricsRegistry
  readonly guard: (scope: Scope) => MiddlewareHandler<AppEnv>
  readonly jsonMaxDepth: number
}) {
  return new Hono<AppEnv>()
    .get('/api/pipelines/:id/sensors', deps.guard('read'), async (c) => {
      const { id } = decodeInput(Schema.Struct({ id: PipelineId }), 'path', c.req.param())
      return jsonAnswer(c, { items: await latestSensors(deps.readModels, id), nextCursor: null })
    })
    .post('/api/pipelines/:id/sensors/:key', deps.guard('sensors:write'), async (c) => {
      // Plainly valid input skips the Schema (most of what decoding a reading costs); the rest is judged by it.
      const rawParams = c.req.param()
      const params = plainSensorParams(rawParams) ?? decodeInput(SensorParams, 'path', rawParams)
      const header = c.req.header('idempotency-key')
      const idempotencyKey =
        header === undefined ? undefined : decodeInput(IdempotencyKey, 'header', header, 'Idempotency-Key')
      const body = await readJsonBody(c, deps.jsonMaxDepth)
      const data = plainSensorData(body.value) ?? decodeInput(SensorData, 'body', body.value)
      const scope = `sensor:${params.id}:${params.key}`
      // Hashed only when a key asks for replay protection: most readings carry none.
      const fingerprint = idempotencyKey === undefined ? undefined : requestFingerprint(body.text)
      if (idempotencyKey !== undefined && fingerprint !== undefined) {
        const kept = await deps.idempotency.find(scope, idempotencyKey)
        if (kept !== undefined) {
          if (!kept.requestSha256.equals(fingerprint)) throw new IdempotencyKeyReused({ key: idempotencyKey })
          c.header('Idempotent-Replayed', 'true')
          return c.json(kept.body as SensorAnswer, kept.status as 200)
        }
      }
      const recorded = await deps.commands.recordSensor(
        { pipelineId: params.id, key: params.key, data },
        {
          ...commandSource(c),
          ...(idempotencyKey === undefined ? {} : { commandId: commandIdFor(scope, idempotencyKey) }),
        },
      )
      if (Either.isLeft(recorded)) throw recorded.left
      countAppended(deps.metrics, appendedBy(recorded.right))
      let answer = sensorAnswer(recorded.right)
      if (idempotencyKey !== undefined && fingerprint !== undefined) {
        const kept = await deps.idempotency.keep(scope, idempotencyKey, {
          requestSha256: fingerprint,
          ...answer,
        })
        answer = { status: kept.status, body: kept.body as SensorAnswer }
      }
      return c.json(answer.body, answer.status as 200)
    })
    .post('/api/sensors', deps.guard('sensors:write'), async (c) => {
      // Text the log cannot store in one reading is that reading's 400, not the batch's.
      const body = (await readJsonBody(c, deps.jsonMaxDepth, { unstorableText: 'allow' })).value
      // The Schema walks a thousand items to learn they are an array; a plain body skips it.
      const envelope = plainSensorBatchEnvelope(body) ?? decodeInput(SensorBatchEnvelope, 'body', body)
      const results: BatchResult[] = new Array(envelope.readings.length)
      const pending: Array<{ index: number; item: typeof SensorBatchItem.Type }> = []
      envelope.readings.forEach((raw, index) => {
        const plain = plainSensorBatchItem(raw)
        if (plain !== undefined) {
          pending.push({ index, item: plain })
          return
        }
        const decoded = decodeInputEither(SensorBatchItem, 'body', raw, `readings[${index}]`)
        if (Either.isLeft(decoded)) {
          const errors = decoded.left.map(({ path, message }) => ({ path, message }))
          results[index] = { index, status: 400, type: 'InvalidRequest', errors }
          return
        }
        pending.push({ index, item: decoded.right })
      })
      const recorded = await deps.commands.recordSensors(
        pending.map(({ item }) => ({
          pipelineId: item.pipelineId,
          key: item.key,
          data: item.data,
          ...(item.id === undefined
            ? {}
            : { id: commandIdFor(`sensor:${item.pipelineId}:${item.key}`, item.id) }),
        })),
        commandSource(c),
      )
      let appended = 0
      pending.forEach(({ index, item }, n) => {
        const result = recorded[n]!
        if (Either.isLeft(result)) {
          const idPart = item.id === undefined ? {} : { id: item.id }
          const problem = problemOf(result.left, undefined)!
          results[index] = {
            index,
            ...idPart,
            status: problem.status,
            type: result.left._tag,
            detail: problem.detail,
            errors: (problem.errors ?? []).map((error) => ({
              path: `readings[${index}].${error.in === 'path' ? 'pipelineId' : `data.${error.path}`}`,
              message: error.message,
            })),
          }
          return
        }
        appended += appendedBy(result.right)
        const { status, runs } = runsAnswer(result.right)
        results[index] =
          item.id === undefined ? { index, status, runs } : { index, id: item.id, status, runs }
      })
      countAppended(deps.metrics, appended)
      const accepted = results.filter((result) => result.status < 300).length
      return c.json({
        accepted,
        rejected: results.length - accepted,
        results,
      } satisfies typeof SensorBatchAnswer.Type)
    })
}
