import { type PipelineConfig, pipelineSchedules, type ResolvedSchedule } from '@interlock/domain'
import { type FieldLocation, InvalidRequest } from './http-errors.ts'

/**
 * The schedule a request means: the one it names, or the pipeline's only one when it names none. A
 * pipeline with several schedules (C14) needs the name; an unknown name is a 400 listing the known ones.
 */
export function chooseSchedule(
  config: PipelineConfig,
  requested: string | undefined,
  where: { readonly in: FieldLocation; readonly path: string },
): ResolvedSchedule {
  const schedules = pipelineSchedules(config)
  const chosen =
    requested === undefined
      ? schedules.length === 1
        ? schedules[0]
        : undefined
      : schedules.find((schedule) => schedule.name === requested)
  if (chosen !== undefined) return chosen
  throw new InvalidRequest({
    problems: [
      {
        ...where,
        message: `name one of the pipeline's schedules: ${schedules.map((schedule) => schedule.name).join(', ')}`,
      },
    ],
  })
}
