import { assertMigrationsCurrent } from '@student-sync/db/migrate';
import type { PrismaClient } from '@student-sync/db';
import { checkRedisPolicy } from '@student-sync/queue';
import type { Redis } from 'ioredis';
import { CachedCheck } from './cached-check.ts';
import { within } from './within.ts';

/** Migrations change only with a deploy, and checking them starts the schema engine, so one result serves this long. */
const MIGRATION_CHECK_TTL_MS = 60_000;

export interface CheckResult {
  ok: boolean;
  /** Description of the problem, or a warning when `ok` is still true. */
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<'redis' | 'redisPolicy' | 'database' | 'migrations', CheckResult>;
}

export interface ReadinessOptions {
  redis: Redis;
  prisma: PrismaClient;
  databaseUrl: string;
  timeoutMs: number;
  /** `refuse` makes a Redis without AOF or with an evicting policy not ready; `warn` only reports it. */
  redisPolicyCheck: 'refuse' | 'warn';
  /** Replaces the migration check, for tests. */
  checkMigrations?: () => Promise<unknown>;
}

/** Checks that Redis and PostgreSQL respond, that Redis keeps jobs safe and that the schema is current. */
export class ReadinessChecker {
  private readonly migrations: CachedCheck<CheckResult>;

  constructor(private readonly options: ReadinessOptions) {
    const checkMigrations = options.checkMigrations ?? (() => assertMigrationsCurrent(options.databaseUrl));
    this.migrations = new CachedCheck(() => outcome(checkMigrations()), MIGRATION_CHECK_TTL_MS);
  }

  async check(): Promise<ReadinessReport> {
    const { redis, prisma, timeoutMs } = this.options;
    const [redisPing, redisPolicy, database, migrations] = await Promise.all([
      outcome(within(redis.ping(), timeoutMs, 'Redis PING')),
      this.redisPolicy(),
      outcome(within(prisma.$queryRaw`SELECT 1`, timeoutMs, 'PostgreSQL SELECT 1')),
      // Starting the schema engine takes longer than a PING, so the first check gets more time.
      outcome(within(this.migrations.get(), timeoutMs * 5, 'migration check')),
    ]);
    const checks = { redis: redisPing, redisPolicy, database, migrations };
    return { ready: Object.values(checks).every((check) => check.ok), checks };
  }

  private async redisPolicy(): Promise<CheckResult> {
    let problems: string[];
    try {
      problems = await within(checkRedisPolicy(this.options.redis), this.options.timeoutMs, 'Redis INFO');
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
    if (problems.length === 0) return { ok: true };
    return { ok: this.options.redisPolicyCheck === 'warn', detail: problems.join('; ') };
  }
}

async function outcome(work: Promise<unknown>): Promise<CheckResult> {
  try {
    const value = await work;
    return isCheckResult(value) ? value : { ok: true };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
}

function isCheckResult(value: unknown): value is CheckResult {
  return typeof value === 'object' && value !== null && typeof (value as CheckResult).ok === 'boolean';
}
