export { migrateDeploy, type DeployResult } from './deploy.ts';
export { migrationStatus, type MigrationStatus } from './status.ts';
export { assertMigrationsCurrent } from './assert-current.ts';
export { exitUnlessMigrationsCurrent } from './exit-unless-current.ts';
export { createMigration, type CreatedMigration } from './create.ts';
export { checkSchemaHasMigration } from './check.ts';
export {
  describeConnectError,
  InvalidMigrationNameError,
  MigrationEngineError,
  MigrationsNotCurrentError,
  SchemaWithoutMigrationError,
} from './errors.ts';
export type { MigrationPaths } from './options.ts';
export { redactUrl } from './database-url.ts';
