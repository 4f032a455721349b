export { createPrismaClient, type PrismaClientOptions } from './client.ts';
export { createPgPool, type PgPoolOptions } from './pg-pool.ts';
export {
  ChangeOutcome,
  Prisma,
  type PrismaClient,
  PushStatus,
  SignScheme,
  type ApiClient,
  type PushArchive,
  type Student,
  type StudentAlias,
  type StudentChange,
} from './generated/prisma/client.ts';
