import { Instant } from '@interlock/domain'
import { Schema } from 'effect'
import type { TimeKeyset } from '../sql/keyset.ts'
import type { RunKeyset } from '../sql/runs.ts'
import { cursorCodec } from './page.ts'

const Position = Schema.String.pipe(Schema.pattern(/^\d{1,19}$/))

/** (instant, id) of listings ordered newest first: audit events, reruns. */
export const timeCursor = cursorCodec(
  Schema.transform(
    Schema.Tuple(Instant, Position),
    Schema.Struct({ at: Schema.typeSchema(Instant), id: Schema.BigIntFromSelf }),
    {
      strict: true,
      decode: ([at, id]) => ({ at, id: BigInt(id) }),
      encode: ({ at, id }) => [at, id.toString()] as const,
    },
  ),
) satisfies { readonly encode: (keyset: TimeKeyset) => string }

/** (period, schedule) of a pipeline's runs, newest period first. */
export const runCursor = cursorCodec(
  Schema.transform(
    Schema.Tuple(Schema.String, Schema.String),
    Schema.Struct({ period: Schema.String, scheduleId: Schema.String }),
    {
      strict: true,
      decode: ([period, scheduleId]) => ({ period, scheduleId }),
      encode: ({ period, scheduleId }) => [period, scheduleId] as const,
    },
  ),
) satisfies { readonly encode: (keyset: RunKeyset) => string }

/** The pipeline id of the last row (pipelines in id order). */
export const pipelineCursor = cursorCodec(Schema.Tuple(Schema.String))

/** The id of the last row (dead letters, newest first). */
export const idCursor = cursorCodec(Schema.Tuple(Position))
