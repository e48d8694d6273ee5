// The test PostgreSQL itself: it starts, hands out databases, leaves nothing behind, and says how to install it
// when it can't start.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startPostgresCluster } from "./support/postgres";

describe("the test PostgreSQL", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("serves a database per call on its own port, then stops and deletes its folder", async () => {
    const cluster = await startPostgresCluster();
    const urls = [await cluster.createDatabase(), await cluster.createDatabase("second_db")];
    expect(urls[1]).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/second_db`);
    for (const url of urls) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query<{ db: string; version: string }>(
        "select current_database() as db, current_setting('server_version') as version",
      );
      await client.end();
      expect(url.endsWith(`/${rows[0]!.db}`)).toBe(true);
      expect(rows[0]!.version).toMatch(/^\d+/);
    }
    expect(fs.existsSync(cluster.dir)).toBe(true);

    await cluster.stop();
    expect(fs.existsSync(cluster.dir)).toBe(false);
    const after = new pg.Client({ connectionString: urls[0] });
    await expect(after.connect()).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("fails, saying how to install PostgreSQL, when its binaries are missing", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-postgres-"));
    vi.stubEnv("POSTGRES_BIN", empty);
    try {
      await expect(startPostgresCluster()).rejects.toThrow(/initdb and pg_ctl are not in .*apt-get install -y postgresql/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
