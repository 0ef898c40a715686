import type { OutboundHttp } from '@interlock/triggers'
import type { Alert } from './alert.ts'
import type { AlertRoute } from './alert-route.ts'
import type { AlertSink } from './alert-sink.ts'
import { alertText } from './alert-text.ts'
import { statusFailure, transportFailure } from './outbound-failure.ts'

export interface WebhookSinkOptions {
  readonly route: AlertRoute
  readonly url: string
  readonly authorization: string | undefined
  readonly timeoutMs: number
  readonly http: OutboundHttp
}

/**
 * POSTs each alert as JSON (the alert's fields plus its formatted `text`) through the SSRF-guarded client.
 * The `Idempotency-Key` header is the alert id, so a receiver can drop the repeat a retry after a lost
 * answer may cause.
 */
export function makeWebhookSink(options: WebhookSinkOptions): AlertSink {
  return {
    name: 'webhook',
    route: options.route,
    deliver: async (alert: Alert) => {
      const response = await options.http
        .send({
          method: 'POST',
          url: options.url,
          headers: {
            'idempotency-key': `interlock-alert-${alert.id}`,
            ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
          },
          body: JSON.stringify({ ...alert, text: alertText(alert) }),
          timeoutMs: options.timeoutMs,
        })
        .catch((error: unknown) => {
          throw transportFailure('webhook', error)
        })
      if (response.status < 200 || response.status >= 300) {
        throw statusFailure('webhook', response, Date.now())
      }
    },
  }
}
