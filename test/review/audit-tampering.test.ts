// The audit log's append-only triggers on a SQLite file, and the hash chain catching whoever drops them (sqlite-only:
// the Postgres triggers are tested in test/postgres-client.test.ts; this works on the database file itself).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDb, setDb } from "@/db/client";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { makeTeam } from "../support/auth";
import { runCli } from "../support/cli";

describe("audit log tampering", () => {
  let dir: string;
  afterEach(() => {
    setDb(undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is refused by the database, and detected by `launch-review audit verify` when done behind its back", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-audit-"));
    const file = path.join(dir, "audit.db");
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
    resetEnvForTests();
    setDb(openDb(file));
    const team = await makeTeam("T");
    await registerLocalConnector(
      { name: "C", path: "demo-connector", subdirectory: "", scanNow: true, teamId: team.id },
      { id: "u", correlationId: "c" },
    );
    const { scanQueue } = await import("@/lib/jobs/scan-queue");
    await scanQueue().whenIdle();
    setDb(undefined);

    const cli = async (args: string[]) => {
      const run = await runCli(args, { DATABASE_PATH: file });
      return { code: run.code, out: run.stdout };
    };
    expect(await cli(["audit", "verify"])).toMatchObject({ code: 0, out: expect.stringMatching(/intact: \d+ entries/) });

    const raw = new Database(file);
    expect(() => raw.prepare("update audit_log set actor = 'mallory' where id = 2").run()).toThrow(/append-only/);
    expect(() => raw.prepare("delete from audit_log where id = 2").run()).toThrow(/append-only/);
    // Someone with the file drops the trigger and rewrites history.
    raw.exec("drop trigger audit_log_no_update");
    raw.prepare("update audit_log set actor = 'mallory' where id = 2").run();
    raw.close();

    expect(await cli(["audit", "verify"])).toMatchObject({
      code: 1,
      out: expect.stringContaining("BROKEN at entry 2: content does not match its hash"),
    });
  });
});