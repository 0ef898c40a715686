import { Schema } from 'effect'

/**
 * The identity of one attempt of one run: `<pipelineId>/<scheduleId>/<period>/<n>`, n counting from 1 in
 * the run stream. Every job start, status, failure and outcome names its attempt (ruling L1), and the
 * processor uses it as the idempotency key of the job start: one attempt, at most one started job.
 */
export const AttemptId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._-]{1,128}\/[A-Za-z0-9._-]{1,64}\/\d{4}-\d{2}-\d{2}(T\d{2})?\/[1-9]\d*$/, {
    message: () =>
      'an attempt id is <pipelineId>/<schedule>/<period>/<number>, e.g. orders-daily/default/2026-03-01/1',
  }),
  Schema.brand('AttemptId'),
).annotations({ identifier: 'AttemptId' })
export type AttemptId = typeof AttemptId.Type

/** The id of attempt `attemptNumber` of a run. */
export const attemptIdFor = (
  run: { readonly pipelineId: string; readonly scheduleId: string; readonly period: string },
  attemptNumber: number,
): AttemptId => `${run.pipelineId}/${run.scheduleId}/${run.period}/${attemptNumber}` as AttemptId
