// The Postgres schema (DATABASE_URL=postgres://…): the same tables, columns, keys and indexes as db/schema.ts, with
// columns that give the same JavaScript types, so row types and queries carry over. Migrations in db/migrations-pg/
// are generated from this file; test/schema-drift.test.ts fails when the two schemas part ways.
export * from "./postgres/accounts";
export * from "./postgres/scans";
export * from "./postgres/reviews";
