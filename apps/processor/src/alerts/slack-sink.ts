import type { Queryable } from '@interlock/eventstore'
import type { OutboundHttp } from '@interlock/triggers'
import { Either, Schema } from 'effect'
import type { ReactorLog } from '../reactor.ts'
import type { Alert } from './alert.ts'
import type { AlertRoute } from './alert-route.ts'
import { AlertDeliveryFailed, type AlertSink } from './alert-sink.ts'
import {
  deleteSlackThread,
  insertSlackThreadIfAbsent,
  type SlackThreadKey,
  selectSlackThread,
} from './alert-sql.ts'
import { alertText } from './alert-text.ts'
import { statusFailure, transportFailure } from './outbound-failure.ts'
import { retryAfterMs } from './retry-delay.ts'

export interface SlackSinkOptions {
  readonly route: AlertRoute
  readonly token: string
  readonly channel: string
  readonly apiUrl: string
  readonly timeoutMs: number
  readonly http: OutboundHttp
  readonly db: Queryable
  readonly log: ReactorLog
}

/** The part of a `chat.postMessage` answer the sink reads. */
const PostMessageAnswer = Schema.Struct({
  ok: Schema.Boolean,
  error: Schema.optional(Schema.String),
  ts: Schema.optional(Schema.String),
  channel: Schema.optional(Schema.String),
})
const decodeAnswer = Schema.decodeUnknownEither(Schema.parseJson(PostMessageAnswer))

/** Slack errors that say "try again later"; every other `ok: false` is a refusal no retry changes. */
const TRANSIENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
])

/** Slack's answer when `thread_ts` names no message of the channel (the thread's first message is gone). */
const THREAD_NOT_FOUND = 'thread_not_found'

/**
 * Posts each alert with the Bot API's `chat.postMessage` (lifecycle §9.4): the formatted text as one
 * mrkdwn section (and as the notification fallback), in the run's thread. The first alert of a run
 * (pipeline, schedule, period) starts the thread; its ts is kept with insert-if-absent and later alerts
 * of the run reply in it. The token goes only into the Authorization header; no message names it.
 */
export function makeSlackSink(options: SlackSinkOptions): AlertSink {
  const url = `${options.apiUrl}/chat.postMessage`
  return {
    name: 'slack',
    route: options.route,
    deliver: async (alert: Alert) => {
      const key: SlackThreadKey = {
        pipelineId: alert.pipelineId,
        scheduleId: alert.scheduleId,
        period: alert.period,
        channel: options.channel,
      }
      const threadTs = await selectSlackThread(options.db, key)
      const text = alertText(alert)
      const response = await options.http
        .send({
          method: 'POST',
          url,
          headers: {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/json; charset=utf-8',
          },
          body: JSON.stringify({
            channel: options.channel,
            text,
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
            ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
          }),
          timeoutMs: options.timeoutMs,
        })
        .catch((error: unknown) => {
          throw transportFailure('slack', error)
        })
      if (response.status !== 200) throw statusFailure('slack', response, Date.now())
      const answer = decodeAnswer(new TextDecoder().decode(response.body))
      if (Either.isLeft(answer)) {
        throw new AlertDeliveryFailed({
          sink: 'slack',
          reason: 'chat.postMessage answered 200 with a body that is not a Slack API answer',
          retryable: true,
          retryAfterMs: undefined,
        })
      }
      const { ok, error, ts, channel } = answer.right
      if (!ok) {
        const code = error ?? 'unknown_error'
        if (code === THREAD_NOT_FOUND && threadTs !== undefined) {
          // The next attempt starts a new thread for the run.
          await deleteSlackThread(options.db, key, threadTs)
        }
        throw new AlertDeliveryFailed({
          sink: 'slack',
          reason: `slack API error: ${code}`,
          retryable: TRANSIENT_SLACK_ERRORS.has(code) || code === THREAD_NOT_FOUND,
          retryAfterMs: retryAfterMs(response.headers['retry-after'], Date.now()),
        })
      }
      if (threadTs === undefined && ts !== undefined) {
        // The alert is in Slack: a failure to remember its thread must not send it again (§9.4 step 6).
        await insertSlackThreadIfAbsent(options.db, key, ts, channel ?? options.channel).catch(
          (failure: unknown) =>
            options.log('warn', 'alert posted to Slack, but its thread could not be saved', {
              pipelineId: alert.pipelineId,
              period: alert.period,
              error: failure instanceof Error ? failure.message : String(failure),
            }),
        )
      }
    },
  }
}
