import { type AwsJsonFake, startAwsJsonFake } from './aws-json-fake.ts'

export interface FakeCloudWatchLogs extends AwsJsonFake {
  /** Adds log lines to a stream of a group. */
  readonly put: (group: string, stream: string, ...messages: ReadonlyArray<string>) => void
}

/**
 * Whether a message matches a CloudWatch Logs filter pattern, for the subset of the syntax triggers use:
 * terms (`word` or `"quoted phrase"`) that must all appear, or `?`-prefixed terms of which one must.
 */
export const matchesFilterPattern = (pattern: string, message: string): boolean => {
  const terms = [...pattern.matchAll(/(\?)?(?:"([^"]*)"|(\S+))/g)].map((match) => ({
    optional: match[1] === '?',
    text: match[2] ?? match[3] ?? '',
  }))
  const required = terms.filter((term) => !term.optional)
  const anyOf = terms.filter((term) => term.optional)
  return (
    required.every((term) => message.includes(term.text)) &&
    (anyOf.length === 0 || anyOf.some((term) => message.includes(term.text)))
  )
}

/** A fake CloudWatch Logs (JSON 1.1) answering FilterLogEvents from the lines tests put in it. */
export const startFakeCloudWatchLogs = async (): Promise<FakeCloudWatchLogs> => {
  const groups = new Map<string, Map<string, string[]>>()
  const fake = await startAwsJsonFake('Logs_20140328', '1.1', {
    FilterLogEvents: (input) => {
      const streams = groups.get(String(input.logGroupName)) ?? new Map<string, string[]>()
      const names = (input.logStreamNames as ReadonlyArray<string> | undefined) ?? [...streams.keys()]
      const pattern = String(input.filterPattern ?? '')
      const limit = typeof input.limit === 'number' ? input.limit : 10_000
      const events = names
        .flatMap((name) => (streams.get(name) ?? []).map((message) => ({ logStreamName: name, message })))
        .filter((event) => matchesFilterPattern(pattern, event.message))
        .slice(0, limit)
        .map((event, index) => ({ ...event, timestamp: 1_767_225_600_000 + index, eventId: String(index) }))
      return {
        events,
        searchedLogStreams: names.map((logStreamName) => ({ logStreamName, searchedCompletely: true })),
      }
    },
  })
  return {
    ...fake,
    put: (group, stream, ...messages) => {
      const streams = groups.get(group) ?? new Map<string, string[]>()
      streams.set(stream, [...(streams.get(stream) ?? []), ...messages])
      groups.set(group, streams)
    },
  }
}
