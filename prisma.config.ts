import { defineConfig } from 'prisma/config';

// Used by the ordinary Prisma CLI on machines that can reach Prisma's binary host.
// The project's own migration runner (npm run db:migrate) reads the same folders.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/student_sync' },
});
