import { Either, ParseResult, Schema } from 'effect'

const IntFromEnv = (minimum: number, maximum: number) =>
  Schema.NumberFromString.pipe(Schema.int(), Schema.between(minimum, maximum))

const MEBIBYTE = 1_048_576

/** Every setting of the API, read from `INTERLOCK_*` variables in this one place (STYLE rule 6). */
export const ApiEnvironment = Schema.Struct({
  INTERLOCK_API_HOST: Schema.optionalWith(Schema.String.pipe(Schema.minLength(1)), {
    default: () => '127.0.0.1',
  }),
  INTERLOCK_API_PORT: Schema.optionalWith(IntFromEnv(0, 65_535), { default: () => 8080 }),
  /** Largest request body accepted, in bytes (default 1 MiB). */
  INTERLOCK_API_BODY_LIMIT_BYTES: Schema.optionalWith(IntFromEnv(1_024, 64 * MEBIBYTE), {
    default: () => MEBIBYTE,
  }),
  /** Deepest nesting of arrays and objects accepted in a JSON body. */
  INTERLOCK_API_JSON_MAX_DEPTH: Schema.optionalWith(IntFromEnv(2, 1_000), { default: () => 32 }),
  /** Sustained requests per second allowed per token, and the burst above it. */
  INTERLOCK_API_RATE_LIMIT_PER_SECOND: Schema.optionalWith(IntFromEnv(1, 1_000_000), { default: () => 200 }),
  INTERLOCK_API_RATE_LIMIT_BURST: Schema.optionalWith(IntFromEnv(1, 1_000_000), { default: () => 400 }),
  /** How long a verified token is trusted without asking the database again (0 = every request). */
  INTERLOCK_API_TOKEN_CACHE_MS: Schema.optionalWith(IntFromEnv(0, 60_000), { default: () => 1_000 }),
  /** /api/ready reports not ready while a projection is further behind the log than this. */
  INTERLOCK_API_READY_MAX_LAG_MS: Schema.optionalWith(IntFromEnv(0, 86_400_000), { default: () => 60_000 }),
  INTERLOCK_LOG_LEVEL: Schema.optionalWith(
    Schema.Literal('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
    { default: () => 'info' as const },
  ),
})

export interface ApiConfig {
  readonly host: string
  readonly port: number
  readonly bodyLimitBytes: number
  readonly jsonMaxDepth: number
  readonly rateLimit: { readonly perSecond: number; readonly burst: number }
  readonly tokenCacheMs: number
  readonly readyMaxLagMs: number
  readonly logLevel: typeof ApiEnvironment.Type.INTERLOCK_LOG_LEVEL
}

/** The defaults, for tests and embedders that build the app without an environment. */
export const DEFAULT_API_CONFIG: ApiConfig = toConfig(Schema.decodeUnknownSync(ApiEnvironment)({}))

/** A variable that could not be read: names it, shows the value and the expected form. */
export class ApiConfigInvalid extends Error {
  override readonly name = 'ApiConfigInvalid'
}

/** Reads the API settings from the environment; every bad variable is reported at once. */
export function readApiConfig(env: Readonly<Record<string, string | undefined>> = process.env): ApiConfig {
  const relevant = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name in ApiEnvironment.fields && value !== ''),
  )
  const decoded = Schema.decodeUnknownEither(ApiEnvironment, { errors: 'all' })(relevant)
  if (Either.isLeft(decoded)) {
    const problems = ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map(
      (issue) =>
        `${issue.path.join('.')} (${JSON.stringify(relevant[String(issue.path[0])])}): ${issue.message}`,
    )
    throw new ApiConfigInvalid(`The API environment is invalid; fix these variables: ${problems.join('; ')}`)
  }
  return toConfig(decoded.right)
}

function toConfig(env: typeof ApiEnvironment.Type): ApiConfig {
  return {
    host: env.INTERLOCK_API_HOST,
    port: env.INTERLOCK_API_PORT,
    bodyLimitBytes: env.INTERLOCK_API_BODY_LIMIT_BYTES,
    jsonMaxDepth: env.INTERLOCK_API_JSON_MAX_DEPTH,
    rateLimit: {
      perSecond: env.INTERLOCK_API_RATE_LIMIT_PER_SECOND,
      burst: env.INTERLOCK_API_RATE_LIMIT_BURST,
    },
    tokenCacheMs: env.INTERLOCK_API_TOKEN_CACHE_MS,
    readyMaxLagMs: env.INTERLOCK_API_READY_MAX_LAG_MS,
    logLevel: env.INTERLOCK_LOG_LEVEL,
  }
}
