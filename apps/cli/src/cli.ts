import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { addPipeline } from './add-pipeline-command.ts'
import { backtestCommand } from './backtest-command.ts'
import { CommandFailed, exitCodeOf, UsageError } from './cli-error.ts'
import { apply, validate } from './config-commands.ts'
import { connect } from './connection.ts'
import { demo } from './demo.ts'
import { dlqList, dlqRedrive } from './dlq-command.ts'
import { init } from './init-command.ts'
import type { CliIo } from './io.ts'
import { migrateCommand } from './migrate-command.ts'
import { EXAMPLES_DIR } from './paths.ts'
import { findProject, type Project, projectEnv } from './project-config.ts'
import { pushFile, pushOne } from './push-command.ts'
import { events, explain, runs, status } from './read-commands.ts'
import { evaluate, run } from './readiness-commands.ts'
import { rebuildProjections, replay } from './replay-command.ts'
import { rerun } from './rerun-command.ts'
import { serve } from './serve-command.ts'
import { token } from './token-command.ts'

export const USAGE = `interlock — a safety controller for data pipelines

Usage: interlock <command> [arguments] [options]

Projects (a folder with interlock.yaml: serve runs it, every command reads its settings)
  init <folder>                                scaffold a project: interlock.yaml, archetype, pipeline, evaluator, calendar
  add-pipeline [--id <id> --archetype <a> --command <c>]
                                               write a new pipeline file from an archetype (asks on a terminal)

Server and database
  serve [--examples <dir> | --no-examples]   Postgres, migrations, processor and API in one process
  migrate                                      bring the database up to date
  replay <pipeline> <period> [--schedule <s>]  fold a run's events from the log, the state after each one
  projections rebuild                          empty the read models; the processor replays the log into them
  token create --scope <s>[,<s>] [--name <n>]  create an API token (shown once)
  token list | token revoke <id>

Configs (local, no server)
  validate <files|dirs>                        check pipeline and calendar configs; every error, exit 1

Through the API (--url/INTERLOCK_URL, --token/INTERLOCK_TOKEN; default: the local serve and its token)
  apply <files|dirs>                           register calendars and pipeline configs through the API
  push <pipeline> <key> --data '<json>'        record one sensor reading
  push --file <readings.ndjson>                record readings, one {pipelineId,key,data} per line, in batches
  status [pipeline]                            pipelines: last period, state, readiness now, SLA
  runs <pipeline>                              runs of a pipeline
  events [--pipeline <p>] [--type <T>] [--since <instant>] [--limit <n>]
  explain <pipeline> <period> [--schedule <s>] the decision trace of a run (of that schedule)
  evaluate <pipeline> [--period <p>] [--schedule <s>]
                                               readiness now: READY (exit 0) or NOT_READY and the blocking rules (exit 1)
  run <pipeline> [--period <p>] [--schedule <s>] [--wait <seconds>]
                                               evaluate and trigger if ready, then follow the job to its end
                                               (exit 0 succeeded; 1 not ready, refused, failed or still running)
  rerun <pipeline> <period> --reason <text> [--schedule <name>]
  backtest <pipeline> --config <candidate.yaml> [--from DATE] [--to DATE] [--schedule <name>]
                                               replay the recorded periods with a candidate config; writes nothing
  dlq list | dlq redrive <id>                  dead letters
  demo [--date YYYY-MM-DD]                     push a day of readings for the examples, print what happened

Options: --json (machine-readable output on every read command), --help
Exit status: 0 ok, 1 failure, 2 usage error`

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
  data: { type: 'string' },
  file: { type: 'string' },
  type: { type: 'string' },
  since: { type: 'string' },
  pipeline: { type: 'string' },
  limit: { type: 'string' },
  reason: { type: 'string' },
  schedule: { type: 'string' },
  period: { type: 'string' },
  id: { type: 'string' },
  archetype: { type: 'string' },
  command: { type: 'string' },
  wait: { type: 'string' },
  scope: { type: 'string', multiple: true },
  name: { type: 'string' },
  date: { type: 'string' },
  config: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  examples: { type: 'string' },
  'no-examples': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

type Values = ReturnType<typeof parse>['values']

const parse = (argv: ReadonlyArray<string>) =>
  parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })

const expectArguments = (
  command: string,
  args: ReadonlyArray<string>,
  min: number,
  max: number,
  shape: string,
) => {
  if (args.length < min || args.length > max)
    throw new UsageError({
      problem: `${command} takes ${shape}; got ${args.length === 0 ? 'nothing' : args.join(' ')}`,
    })
}

/** In a project, the archetypes and calendars its pipelines may name are always read along. */
const supportFolders = (project: Project | undefined): ReadonlyArray<string> =>
  project === undefined
    ? []
    : [...project.archetypeDirs, ...project.calendarDirs].filter((dir) => existsSync(dir))

const yesterday = (): string => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)

const dispatch = async (
  io: CliIo,
  command: string,
  args: ReadonlyArray<string>,
  values: Values,
  project: Project | undefined,
): Promise<number> => {
  const json = values.json
  const client = () => connect(io, { url: values.url, token: values.token })
  switch (command) {
    case 'serve':
      expectArguments(command, args, 0, 0, 'no arguments')
      // In a project folder (interlock.yaml) serve runs the project; the examples only when asked for.
      return serve(io, {
        examples: values['no-examples']
          ? false
          : (values.examples ?? (project === undefined ? EXAMPLES_DIR : false)),
        project,
      })
    case 'init':
      expectArguments(command, args, 1, 1, '<folder>')
      return init(io, args[0] ?? '')
    case 'add-pipeline':
      expectArguments(command, args, 0, 0, 'only --id, --archetype and --command (asked for on a terminal)')
      return addPipeline(io, project, { id: values.id, archetype: values.archetype, command: values.command })
    case 'migrate':
      expectArguments(command, args, 0, 0, 'no arguments')
      return migrateCommand(io, json)
    case 'token':
      expectArguments(command, args, 1, 2, 'create|list|revoke [id]')
      return token(io, args[0], {
        id: args[1],
        name: values.name,
        scopes: (values.scope ?? []).flatMap((scope) => scope.split(',')).filter((scope) => scope !== ''),
        json,
      })
    case 'validate':
      expectArguments(command, args, 1, Number.POSITIVE_INFINITY, 'one or more files or folders')
      return validate(io, [...args, ...supportFolders(project)], json)
    case 'apply':
      expectArguments(command, args, 1, Number.POSITIVE_INFINITY, 'one or more files or folders')
      return apply(io, await client(), [...args, ...supportFolders(project)])
    case 'push':
      if (values.file !== undefined) {
        expectArguments(command, args, 0, 0, '--file <readings.ndjson> and no other arguments')
        return pushFile(io, await client(), values.file, json)
      }
      expectArguments(command, args, 2, 2, "<pipeline> <key> --data '<json>' (or --file <readings.ndjson>)")
      if (values.data === undefined)
        throw new UsageError({ problem: "push <pipeline> <key> needs --data '<json object>'" })
      return pushOne(io, await client(), args[0] ?? '', args[1] ?? '', values.data, json)
    case 'status':
      expectArguments(command, args, 0, 1, '[pipeline]')
      return status(io, await client(), args[0], json)
    case 'runs':
      expectArguments(command, args, 1, 1, '<pipeline>')
      return runs(io, await client(), args[0] ?? '', json)
    case 'events': {
      expectArguments(command, args, 0, 0, 'only options: --pipeline --type --since --limit')
      const limit = values.limit === undefined ? 50 : Number(values.limit)
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError({ problem: `--limit is a whole number ≥ 1, got ${values.limit}` })
      return events(
        io,
        await client(),
        { pipeline: values.pipeline, type: values.type, since: values.since, limit },
        json,
      )
    }
    case 'explain':
      expectArguments(command, args, 2, 2, '<pipeline> <period> [--schedule <name>]')
      return explain(io, await client(), args[0] ?? '', args[1] ?? '', json, values.schedule)
    case 'evaluate':
      expectArguments(command, args, 1, 1, '<pipeline> [--period <p>] [--schedule <name>]')
      return evaluate(
        io,
        await client(),
        { pipelineId: args[0] ?? '', period: values.period, schedule: values.schedule },
        json,
      )
    case 'run': {
      expectArguments(command, args, 1, 1, '<pipeline> [--period <p>] [--schedule <name>] [--wait <seconds>]')
      const wait = values.wait === undefined ? 3600 : Number(values.wait)
      if (!Number.isFinite(wait) || wait <= 0)
        throw new UsageError({ problem: `--wait is a number of seconds > 0, got ${values.wait}` })
      return run(
        io,
        await client(),
        { pipelineId: args[0] ?? '', period: values.period, schedule: values.schedule },
        { json, pollMs: 1_000, maxWaitMs: wait * 1000 },
      )
    }
    case 'rerun':
      expectArguments(command, args, 2, 2, '<pipeline> <period> --reason <text>')
      return rerun(
        io,
        await client(),
        {
          pipelineId: args[0] ?? '',
          period: args[1] ?? '',
          reason: values.reason,
          schedule: values.schedule,
        },
        json,
      )
    case 'backtest':
      expectArguments(command, args, 1, 1, '<pipeline> --config <candidate.yaml> [--from DATE] [--to DATE]')
      if (values.config === undefined)
        throw new UsageError({ problem: 'backtest <pipeline> needs --config <candidate.yaml>' })
      return backtestCommand(
        io,
        await client(),
        {
          pipelineId: args[0] ?? '',
          configFile: values.config,
          from: values.from,
          to: values.to,
          schedule: values.schedule,
        },
        json,
      )
    case 'dlq':
      if (args[0] === 'list') {
        expectArguments(command, args, 1, 1, 'list')
        return dlqList(io, await client(), json)
      }
      if (args[0] === 'redrive') {
        expectArguments(command, args, 2, 2, 'redrive <id>')
        return dlqRedrive(io, await client(), args[1] ?? '', json)
      }
      throw new UsageError({ problem: `dlq takes list or redrive <id>; got ${args.join(' ') || 'nothing'}` })
    case 'replay':
      expectArguments(command, args, 2, 2, '<pipeline> <period> [--schedule <name>]')
      return replay(io, { pipelineId: args[0] ?? '', period: args[1] ?? '', schedule: values.schedule }, json)
    case 'projections':
      if (args[0] !== 'rebuild' || args.length !== 1) {
        throw new UsageError({ problem: `projections takes rebuild; got ${args.join(' ') || 'nothing'}` })
      }
      return rebuildProjections(io, json)
    case 'demo': {
      expectArguments(command, args, 0, 0, 'only --date')
      const date = values.date ?? yesterday()
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
        throw new UsageError({ problem: `--date is YYYY-MM-DD, got ${date}` })
      return demo(io, await client(), { date, json, maxWaitMs: 60_000 })
    }
    default:
      throw new UsageError({ problem: `unknown command "${command}"` })
  }
}

/** Runs one command line; answers its exit status (0 ok, 1 failure, 2 usage). Errors go to `io.err`. */
export const runCli = async (argv: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  try {
    let parsed: ReturnType<typeof parse>
    try {
      parsed = parse(argv)
    } catch (error) {
      throw new UsageError({ problem: error instanceof Error ? error.message : String(error) })
    }
    const [command, ...args] = parsed.positionals
    if (command === undefined || command === 'help' || parsed.values.help) {
      io.out(USAGE)
      return command === undefined && !parsed.values.help ? 2 : 0
    }
    // A project folder's interlock.yaml gives the defaults; the environment overrides them.
    const project = command === 'init' ? undefined : await findProject(io.cwd)
    return await dispatch({ ...io, env: projectEnv(project, io.env) }, command, args, parsed.values, project)
  } catch (error) {
    if (error instanceof UsageError || error instanceof CommandFailed) {
      io.err(`interlock: ${error.message}`)
      return exitCodeOf(error)
    }
    io.err(`interlock: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return 1
  }
}
