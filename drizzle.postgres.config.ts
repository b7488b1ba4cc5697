import { defineConfig } from 'drizzle-kit';

/** `npm run db:generate:pg` writes a new PostgreSQL migration into db/postgres/migrations. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/postgres/schema.ts',
  out: './db/postgres/migrations',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
});
