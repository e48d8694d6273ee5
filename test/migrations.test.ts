// Upgrading a database that already holds data: every migration must keep it, including table rebuilds.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { LAG_LEVELS } from "@/lib/core/types";
import { migrationsBefore } from "./support/migrations";

describe("migrations", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A database file migrated up to (not including) the migration whose tag matches: the rows an upgrade finds. */
  function databaseBefore(tag: RegExp): { old: ReturnType<typeof openDb>; file: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-mig-"));
    dirs.push(dir);
    const file = path.join(dir, "old.db");
    const migrationsFolder = migrationsBefore(path.resolve("db/migrations"), path.join(dir, "migrations"), tag);
    return { old: openDb(file, { migrationsFolder }), file };
  }

  it("moves connectors registered before teams existed into a default team, keeping their scans", () => {
    const { old, file } = databaseBefore(/accounts_teams/);
    old.$client.prepare("insert into connectors (name, source_kind, location) values ('Old', 'local', '/x')").run();
    old.$client.prepare("insert into scans (connector_id, correlation_id) values (1, 'c')").run();
    old.$client.close();

    const db = openDb(file);
    expect(db.$client.prepare("select name, team_id from connectors").all()).toEqual([{ name: "Old", team_id: 1 }]);
    expect(db.$client.prepare("select name from teams").all()).toEqual([{ name: "Default team" }]);
    expect(db.$client.prepare("select count(*) as n from scans").get()).toEqual({ n: 1 });
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    db.$client.close();
  });

  it("marks stored scans whose dependency audit could not answer as advisories unknown", () => {
    const { old, file } = databaseBefore(/^0010_scan_advisories_known$/);
    old.$client.prepare("insert into teams (name) values ('T')").run();
    old.$client.prepare("insert into connectors (name, source_kind, location, team_id) values ('Old', 'local', '/x', 1)").run();
    const report = (status: string) => JSON.stringify({ checks: [{ id: "dependencies", status }], checklist: [] });
    const insert = old.$client.prepare("insert into scans (connector_id, correlation_id, status, report) values (1, 'c', 'succeeded', ?)");
    insert.run(report("ok"));
    insert.run(report("unavailable"));
    old.$client.prepare("insert into scans (connector_id, correlation_id) values (1, 'c')").run();
    old.$client.close();

    const db = openDb(file);
    expect(db.$client.prepare("select advisories_known as known from scans order by id").all()).toEqual([
      { known: 1 },
      { known: 0 },
      { known: 1 },
    ]);
    db.$client.close();
  });

  it("weighs the watched packages of scans stored before the fleet kept each scan's lag risk", () => {
    const { old, file } = databaseBefore(/^0013_fleet_risk_and_version$/);
    old.$client.prepare("insert into teams (name) values ('T')").run();
    old.$client.prepare("insert into connectors (name, source_kind, location, team_id) values ('Old', 'local', '/x', 1)").run();
    const scan = old.$client.prepare(
      "insert into scans (connector_id, correlation_id, status, advisories_known) values (1, 'c', 'succeeded', ?)",
    );
    const pkg = old.$client.prepare(
      "insert into scan_packages (scan_id, connector_id, package, version, lag, advisories) values (?, 1, ?, '1.0.0', ?, '[]')",
    );
    for (const known of [1, 0]) {
      const id = Number(scan.run(known).lastInsertRowid);
      // One package at each lag, named after it: 100 + 8 + 3 + 1 when the advisories are known.
      for (const lag of LAG_LEVELS) pkg.run(id, lag, lag);
    }
    scan.run(1);
    old.$client.close();

    const db = openDb(file);
    expect(db.$client.prepare("select watched_lag_risk as risk from scans order by id").all()).toEqual([
      { risk: 112 },
      { risk: 100 },
      { risk: 0 },
    ]);
    db.$client.close();
  });

  it("creates no default team on a fresh database", () => {
    const db = openDb(":memory:");
    expect(db.$client.prepare("select count(*) as n from teams").get()).toEqual({ n: 0 });
  });
});
