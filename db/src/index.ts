export { APPLICATION_DATABASE, applicationDatabaseUrl } from './application-database.ts'
export { type PostgresEnvironment, postgresEnvironment } from './config.ts'
export {
  appliedMigrationVersion,
  loadMigrations,
  type Migration,
  MigrationError,
  type MigrationReport,
  migrate,
  migrationsFingerprint,
  migrationsFolder,
} from './migrations.ts'
export { backendPids, processCpuSeconds } from './process-cpu.ts'
export {
  type PostgresServer,
  type PostgresSource,
  type ResolveOptions,
  resolvePostgres,
} from './resolve-postgres.ts'
export { createTestDatabase, quoteIdentifier, type TestDatabase } from './test-database.ts'
