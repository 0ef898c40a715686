#!/usr/bin/env node
import { runCli } from './cli.ts'
import { processIo } from './io.ts'

// Exit explicitly: the embedded Postgres library's exit hooks would otherwise decide the status.
process.exit(await runCli(process.argv.slice(2), processIo()))
