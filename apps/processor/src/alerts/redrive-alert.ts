import type { Instant } from '@interlock/domain'
import { type DeadLetter, markDeadLetterRedriven } from '@interlock/projections'
import { Either, Schema } from 'effect'
import type pg from 'pg'
import { Alert } from './alert.ts'
import { requeueAlertDelivery } from './alert-sql.ts'
import { ALERT_DEAD_LETTER_KIND } from './delivery-worker.ts'

/** The payload of an alert's dead letter: which sink failed, and the alert. */
const AlertDeadLetterPayload = Schema.Struct({
  sink: Schema.Literal('console', 'file', 'webhook', 'slack'),
  alert: Alert,
})

export class AlertRedriveRefused extends Error {
  override readonly name = 'AlertRedriveRefused'
}

/**
 * Redrives a dead-lettered alert (the DLQ tools of the CLI and API): its delivery goes back in the sink's
 * queue with a fresh retry budget and the dead letter is marked redriven, in one transaction. Refuses a
 * dead letter of another kind, one redriven before, or one whose delivery is not dead-lettered.
 */
export async function redriveAlert(pool: pg.Pool, deadLetter: DeadLetter, at: Instant): Promise<void> {
  if (deadLetter.kind !== ALERT_DEAD_LETTER_KIND) {
    throw new AlertRedriveRefused(
      `dead letter ${deadLetter.id} is of kind ${deadLetter.kind}, not ${ALERT_DEAD_LETTER_KIND}; redrive it with the tool for its kind.`,
    )
  }
  const payload = Schema.decodeUnknownEither(AlertDeadLetterPayload)(deadLetter.payload)
  if (Either.isLeft(payload)) {
    throw new AlertRedriveRefused(
      `dead letter ${deadLetter.id} does not hold an alert delivery ({sink, alert}); it cannot be redriven as an alert.`,
    )
  }
  const client = await pool.connect()
  try {
    await client.query('begin')
    const redriven = await markDeadLetterRedriven(client, deadLetter.id, at)
    const requeued =
      redriven !== null &&
      (await requeueAlertDelivery(client, BigInt(payload.right.alert.id), payload.right.sink))
    if (!requeued) {
      await client.query('rollback')
      throw new AlertRedriveRefused(
        `dead letter ${deadLetter.id} was redriven before, or its ${payload.right.sink} delivery of alert ${payload.right.alert.id} is no longer dead-lettered.`,
      )
    }
    await client.query('commit')
  } catch (error) {
    await client.query('rollback').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
