import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { ApiClient } from './api-client.ts'
import { CommandFailed, UsageError } from './cli-error.ts'
import type { CliIo } from './io.ts'

/** Readings per `POST /api/sensors` (the API takes up to 1,000). */
export const PUSH_BATCH_SIZE = 500

export interface Reading {
  readonly pipelineId: string
  readonly key: string
  readonly data: Readonly<Record<string, unknown>>
  readonly id?: string
}

interface RunOutcome {
  readonly scheduleId: string
  readonly period: string
  readonly result: string
  readonly events: ReadonlyArray<string>
  readonly rejection?: { readonly detail: string }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const outcomeLine = (run: RunOutcome): string =>
  `  ${run.scheduleId} ${run.period}: ${run.result}${run.events.length > 0 ? ` (${run.events.join(', ')})` : ''}${run.rejection === undefined ? '' : ` — ${run.rejection.detail}`}`

/** `interlock push <pipeline> <key> --data '{…}'`: one reading. */
export const pushOne = async (
  io: CliIo,
  client: ApiClient,
  pipelineId: string,
  key: string,
  dataText: string,
  json: boolean,
): Promise<number> => {
  let data: unknown
  try {
    data = JSON.parse(dataText)
  } catch (error) {
    throw new UsageError({
      problem: `--data is not JSON (${(error as Error).message}); pass an object, e.g. --data '{"status":"COMPLETE"}'`,
    })
  }
  if (!isRecord(data)) throw new UsageError({ problem: `--data must be a JSON object, got ${dataText}` })
  const answer = (await client.request(
    'POST',
    `/api/pipelines/${encodeURIComponent(pipelineId)}/sensors/${encodeURIComponent(key)}`,
    { json: data },
  )) as { runs?: ReadonlyArray<RunOutcome> }
  if (json) io.out(JSON.stringify(answer, null, 2))
  else io.out([`recorded ${pipelineId} ${key}`, ...(answer.runs ?? []).map(outcomeLine)].join('\n'))
  return 0
}

/** Parses NDJSON readings (`{pipelineId, key, data, id?}` per line); a bad line names its number. */
export const parseReadings = (text: string, file: string): ReadonlyArray<Reading> =>
  text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return []
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      throw new CommandFailed({ problem: `${file}:${index + 1}: not JSON (${(error as Error).message})` })
    }
    if (
      !isRecord(value) ||
      typeof value.pipelineId !== 'string' ||
      typeof value.key !== 'string' ||
      !isRecord(value.data)
    )
      throw new CommandFailed({
        problem: `${file}:${index + 1}: expected {"pipelineId": "…", "key": "…", "data": {…}} on each line`,
      })
    return [value as unknown as Reading]
  })

/** A one-line progress bar on stderr: `[#####.....] 250/500`. */
export const progressBar = (done: number, total: number, width = 30): string => {
  const filled = total === 0 ? width : Math.round((done / total) * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`
}

/** Pushes readings in batches through `POST /api/sensors`; answers how many were accepted and rejected. */
export const pushReadings = async (
  client: ApiClient,
  readings: ReadonlyArray<Reading>,
  onProgress: (done: number, total: number) => void,
): Promise<{ readonly accepted: number; readonly rejected: ReadonlyArray<string> }> => {
  let accepted = 0
  const rejected: string[] = []
  for (let start = 0; start < readings.length; start += PUSH_BATCH_SIZE) {
    const batch = readings.slice(start, start + PUSH_BATCH_SIZE)
    const answer = (await client.request('POST', '/api/sensors', { json: { readings: batch } })) as {
      accepted: number
      results: ReadonlyArray<{
        index: number
        status: number
        detail?: string
        errors?: ReadonlyArray<{ path: string; message: string }>
      }>
    }
    accepted += answer.accepted
    for (const result of answer.results) {
      if (result.status < 300) continue
      const reading = batch[result.index]
      const why =
        result.errors?.map((error) => `${error.path}: ${error.message}`).join('; ') ?? result.detail ?? ''
      rejected.push(
        `reading ${start + result.index + 1} (${reading?.pipelineId} ${reading?.key}): ${result.status} ${why}`,
      )
    }
    onProgress(Math.min(start + PUSH_BATCH_SIZE, readings.length), readings.length)
  }
  return { accepted, rejected }
}

/** `interlock push --file readings.ndjson`. */
export const pushFile = async (
  io: CliIo,
  client: ApiClient,
  file: string,
  json: boolean,
): Promise<number> => {
  let text: string
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8')
  } catch {
    throw new CommandFailed({ problem: `${file}: cannot read the file; check the path` })
  }
  const readings = parseReadings(text, file)
  const result = await pushReadings(client, readings, (done, total) => {
    if (!json) io.err(`push ${progressBar(done, total)}`)
  })
  if (json) io.out(JSON.stringify(result, null, 2))
  else {
    io.out(`pushed ${result.accepted} of ${readings.length} reading(s)`)
    for (const line of result.rejected) io.err(line)
  }
  return result.rejected.length > 0 ? 1 : 0
}
