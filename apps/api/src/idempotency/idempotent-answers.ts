import { hash } from 'node:crypto'
import type { Queryable } from '@interlock/eventstore'
import { insertIdempotentAnswer, selectIdempotentAnswer } from '../sql.ts'

/** An answer kept for an Idempotency-Key, with the fingerprint of the request it answered. */
export interface IdempotentAnswer {
  readonly requestSha256: Buffer
  readonly status: number
  readonly body: unknown
}

/** The first answers to requests sent with an Idempotency-Key (table api_idempotency_keys). */
export interface IdempotentAnswers {
  find(scope: string, key: string): Promise<IdempotentAnswer | undefined>
  /** Keeps `answer` unless one was kept first for the same scope and key; returns the one kept. */
  keep(scope: string, key: string, answer: IdempotentAnswer): Promise<IdempotentAnswer>
}

export function requestFingerprint(text: string): Buffer {
  return hash('sha256', text, 'buffer')
}

export function databaseIdempotentAnswers(db: Queryable): IdempotentAnswers {
  const find = async (scope: string, key: string) => {
    const row = (await selectIdempotentAnswer(db, scope, key)).rows[0]
    return row === undefined
      ? undefined
      : { requestSha256: row.request_sha256, status: row.status, body: row.body }
  }
  return {
    find,
    async keep(scope, key, answer) {
      const { rowCount } = await insertIdempotentAnswer(db, { scope, key, ...answer })
      if (rowCount === 1) return answer
      return (await find(scope, key)) ?? answer
    },
  }
}
