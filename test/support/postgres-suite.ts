// The Postgres run of the integration suite (the "postgres" project in test/vitest.config.mts): one throwaway cluster
// for the whole run, and a template database migrated once, which every test clones (CREATE DATABASE … TEMPLATE) so
// each test starts from an empty, migrated database as it does on SQLite.
import type { TestProject } from "vitest/node";
import { migratePg } from "@/db/client-pg";
import { startPostgresCluster } from "./postgres";

export const TEMPLATE_DATABASE = "launch_review_template";

declare module "vitest" {
  export interface ProvidedContext {
    postgresPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  await migratePg(await cluster.createDatabase(TEMPLATE_DATABASE));
  project.provide("postgresPort", cluster.port);
  return () => cluster.stop();
}
