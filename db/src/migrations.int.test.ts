import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appliedMigrationVersion, loadMigrations, migrate } from './migrations.ts'
import { resolvePostgres } from './resolve-postgres.ts'
import { quoteIdentifier } from './test-database.ts'

// These tests migrate bare databases of their own (not copies of the migrated template).
const server = await resolvePostgres()
const created: string[] = []

async function emptyDatabase(): Promise<string> {
  const name = `it_${Math.floor(Date.now() / 1000)}_${Math.random().toString(16).slice(2, 10)}`
  const admin = new pg.Client({ connectionString: server.urlFor() })
  await admin.connect()
  await admin.query(`create database ${quoteIdentifier(name)}`)
  await admin.end()
  created.push(name)
  return server.urlFor(name)
}

async function folderWith(files: Record<string, string>): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'interlock-migrations-'))
  for (const [name, sql] of Object.entries(files)) await writeFile(join(folder, name), sql)
  return folder
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

afterAll(async () => {
  const admin = new pg.Client({ connectionString: server.urlFor() })
  await admin.connect()
  for (const name of created)
    await admin.query(`drop database if exists ${quoteIdentifier(name)} with (force)`)
  await admin.end()
})

describe('migrate', () => {
  let url: string
  beforeAll(async () => {
    url = await emptyDatabase()
  })

  it('applies every migration once and records it', async () => {
    const report = await migrate(url)
    const files = await loadMigrations()
    expect(report.applied).toEqual(files.map((file) => file.name))
    expect(await withClient(url, appliedMigrationVersion)).toBe(files.length)
  })

  it('is idempotent: a second run applies nothing', async () => {
    const report = await migrate(url)
    expect(report.applied).toEqual([])
  })

  it('lets two processes start at once without racing: each migration is applied exactly once', async () => {
    const fresh = await emptyDatabase()
    const reports = await Promise.all([migrate(fresh), migrate(fresh), migrate(fresh)])
    const files = await loadMigrations()
    expect(reports.flatMap((report) => report.applied).sort()).toEqual(files.map((file) => file.name).sort())
    const rows = await withClient(fresh, (client) =>
      client.query('select count(*)::int as n from interlock_migrations'),
    )
    expect(rows.rows[0].n).toBe(files.length)
  })
})

describe('migration files', () => {
  it('refuses a gap in the numbering and says how to fix it', async () => {
    const folder = await folderWith({ '0001_first.sql': 'select 1;', '0003_third.sql': 'select 3;' })
    await expect(loadMigrations(folder)).rejects.toThrow(
      'Migration 0003_third.sql has number 3 where 2 was expected: migrations are numbered without gaps or duplicates; renumber the newest file.',
    )
  })

  it('refuses a misnamed file', async () => {
    const folder = await folderWith({ '0001_first.sql': 'select 1;', 'add-users.sql': 'select 2;' })
    await expect(loadMigrations(folder)).rejects.toThrow(
      'Migration file add-users.sql is misnamed: name it NNNN_snake_case_name.sql, e.g. 0002_projections.sql.',
    )
  })

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const url = await emptyDatabase()
    const original = await folderWith({ '0001_first.sql': 'create table a (id int);' })
    await migrate(url, original)
    const edited = await folderWith({ '0001_first.sql': 'create table a (id bigint);' })
    await expect(migrate(url, edited)).rejects.toThrow(
      'Migration 0001_first.sql was changed after it was applied (checksum differs): migrations are frozen; restore the file and put the change in a new numbered migration.',
    )
  })

  it('rolls back a failing migration and records nothing for it', async () => {
    const url = await emptyDatabase()
    const folder = await folderWith({
      '0001_first.sql': 'create table a (id int);',
      '0002_broken.sql': 'create table b (id int); select no_such_function();',
    })
    await expect(migrate(url, folder)).rejects.toThrow('Migration 0002_broken.sql failed')
    const state = await withClient(url, async (client) => ({
      version: await appliedMigrationVersion(client),
      b: (await client.query("select to_regclass('b') as b")).rows[0].b,
    }))
    expect(state).toEqual({ version: 1, b: null })
  })
})
