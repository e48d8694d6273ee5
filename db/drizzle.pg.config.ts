import { defineConfig } from "drizzle-kit";

// The Postgres twin of drizzle.config.ts: `npm run db:generate` runs both, so the two migration folders move together.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema-pg.ts",
  out: "./db/migrations-pg",
});
