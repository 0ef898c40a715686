/** Seconds: the default Prometheus buckets, finer at the low end where the API lives. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

type Labels = Readonly<Record<string, string>>

const escapeLabel = (value: string): string =>
  value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"')

const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels)
  return entries.length === 0
    ? ''
    : `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`
}

interface Histogram {
  readonly labels: Labels
  readonly counts: number[]
  sum: number
  count: number
}

/** A gauge read when /metrics is scraped (e.g. projection lag), each sample with its labels. */
export type GaugeReader = () => Promise<ReadonlyArray<{ readonly labels: Labels; readonly value: number }>>

/**
 * The API's metrics in Prometheus text format: request counts and latencies recorded per route
 * pattern (not per URL, so ids do not explode the series), events appended, and gauges read on scrape.
 */
export class MetricsRegistry {
  private readonly requests = new Map<string, { labels: Labels; value: number }>()
  private readonly latencies = new Map<string, Histogram>()
  private readonly counters = new Map<
    string,
    { help: string; series: Map<string, { labels: Labels; value: number }> }
  >()
  private readonly gauges = new Map<string, { help: string; read: GaugeReader }>()

  /** Records one answered request. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    // Keyed by the raw values (a NUL cannot occur in them): label text is escaped once, when scraped.
    const histogramKey = `${method}\0${route}`
    const key = `${histogramKey}\0${status}`
    const entry = this.requests.get(key)
    if (entry === undefined)
      this.requests.set(key, { labels: { method, route, status: String(status) }, value: 1 })
    else entry.value++
    let histogram = this.latencies.get(histogramKey)
    if (histogram === undefined) {
      histogram = { labels: { method, route }, counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }
      this.latencies.set(histogramKey, histogram)
    }
    for (let index = 0; index < LATENCY_BUCKETS.length; index++) {
      if (seconds <= LATENCY_BUCKETS[index]!) histogram.counts[index]!++
    }
    histogram.sum += seconds
    histogram.count++
  }

  /** Adds to a named counter (e.g. `interlock_api_events_appended_total`). */
  increment(name: string, help: string, labels: Labels = {}, by = 1): void {
    let counter = this.counters.get(name)
    if (counter === undefined) {
      counter = { help, series: new Map() }
      this.counters.set(name, counter)
    }
    const key = labelText(labels)
    const entry = counter.series.get(key)
    if (entry === undefined) counter.series.set(key, { labels, value: by })
    else entry.value += by
  }

  /** A gauge whose samples are read at scrape time. */
  gauge(name: string, help: string, read: GaugeReader): void {
    this.gauges.set(name, { help, read })
  }

  /** Everything in the Prometheus text exposition format (version 0.0.4). */
  async render(): Promise<string> {
    const lines: string[] = [
      '# HELP interlock_api_requests_total HTTP requests answered, by method, route pattern and status.',
      '# TYPE interlock_api_requests_total counter',
    ]
    for (const { labels, value } of this.requests.values()) {
      lines.push(`interlock_api_requests_total${labelText(labels)} ${value}`)
    }
    lines.push(
      '# HELP interlock_api_request_duration_seconds Time to answer an HTTP request, by method and route pattern.',
      '# TYPE interlock_api_request_duration_seconds histogram',
    )
    for (const histogram of this.latencies.values()) {
      LATENCY_BUCKETS.forEach((bound, index) => {
        const labels = labelText({ ...histogram.labels, le: String(bound) })
        lines.push(`interlock_api_request_duration_seconds_bucket${labels} ${histogram.counts[index]}`)
      })
      const inf = labelText({ ...histogram.labels, le: '+Inf' })
      lines.push(`interlock_api_request_duration_seconds_bucket${inf} ${histogram.count}`)
      lines.push(`interlock_api_request_duration_seconds_sum${labelText(histogram.labels)} ${histogram.sum}`)
      lines.push(
        `interlock_api_request_duration_seconds_count${labelText(histogram.labels)} ${histogram.count}`,
      )
    }
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`)
      for (const { labels, value } of counter.series.values())
        lines.push(`${name}${labelText(labels)} ${value}`)
    }
    for (const [name, gauge] of this.gauges) {
      lines.push(`# HELP ${name} ${gauge.help}`, `# TYPE ${name} gauge`)
      for (const { labels, value } of await gauge.read()) lines.push(`${name}${labelText(labels)} ${value}`)
    }
    return `${lines.join('\n')}\n`
  }
}
