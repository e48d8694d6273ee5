// Item 7 of the attack on a running instance: another process held SQLite's exclusive lock for 12 s; the app answered
// raw 500s, a 10 s health check and a raw SqliteError. Now: short busy waits, retried writes, a plain "busy" message,
// and a health check that reports the lock at once. Item 8's file modes are checked here too.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { retryWhenBusy } from "@/db/busy";
import { openDb, prepareDatabaseFile, setDb } from "@/db/client";
import { insertTeam, listTeams } from "@/db/queries/teams";
import { resolveSession } from "@/lib/auth/session";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { resetEnvForTests } from "@/lib/env";
import { publicMessage } from "@/lib/core/errors";
import { makeUser, sessionCookie } from "./support/auth";

vi.mock("next/headers", () => ({
  cookies: async () => ({ set: () => {}, get: () => undefined, delete: () => {} }),
  headers: async () => new Headers(),
}));

let dir: string;
let file: string;
let locker: Database.Database | undefined;

function lock(): void {
  locker = new Database(file);
  locker.exec("BEGIN EXCLUSIVE");
}
function unlock(): void {
  if (locker?.inTransaction) locker.exec("ROLLBACK");
  locker?.close();
  locker = undefined;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-busy-"));
  file = path.join(dir, "data", "launch-review.db");
  process.env.DATABASE_PATH = file;
  process.env.LAUNCH_REVIEW_DB_BUSY_TIMEOUT_MS = "100";
  resetEnvForTests();
  setDb(openDb(file));
});
afterEach(() => {
  unlock();
  setDb(undefined);
  delete process.env.LAUNCH_REVIEW_DB_BUSY_TIMEOUT_MS;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a database locked by another process", () => {
  it("health answers within the busy timeout that the database is busy, and ok again once released", async () => {
    const { GET } = await import("@/app/api/health/route");
    expect((await GET()).status).toBe(200);
    lock();
    const started = Date.now();
    const busy = await GET();
    expect(Date.now() - started).toBeLessThan(500);
    expect(busy.status).toBe(503);
    expect(await busy.json()).toMatchObject({ status: "busy", database: { state: "busy" } });
    unlock();
    expect((await GET()).status).toBe(200);
  });

  it("health waits out a lock released within the busy timeout (a write would have waited too)", async () => {
    const { GET } = await import("@/app/api/health/route");
    process.env.LAUNCH_REVIEW_DB_BUSY_TIMEOUT_MS = "1000";
    lock();
    setTimeout(unlock, 60);
    const started = Date.now();
    const answer = await GET();
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("tells a user the database is busy instead of a raw SqliteError", async () => {
    await makeUser("busy@example.com");
    lock();
    const error = await signInWithPassword("busy@example.com", "wrong-password-x", {
      ip: "192.0.2.1",
      correlationId: "c",
      headers: new Headers(),
    }).catch((e: unknown) => e);
    expect(publicMessage(error, "ref-1")).toBe("The database is busy (another process is writing to it). Try again in a moment.");
  });

  it("still shows pages to a signed-in user: the activity write is skipped, not fatal", async () => {
    await makeUser("reader@example.com");
    const cookie = await sessionCookie("reader@example.com");
    lock();
    const user = await resolveSession(new Headers({ cookie }), new Date(Date.now() + 5 * 60_000));
    expect(user?.email).toBe("reader@example.com");
  });

  it("retries a write until the lock is released, without blocking the server meanwhile", async () => {
    lock();
    await expect(insertTeam("Blocked")).rejects.toThrow(/locked/);
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 20);
    setTimeout(unlock, 600);
    const team = await retryWhenBusy(() => insertTeam("Eventually"), { firstDelayMs: 50 });
    clearInterval(ticker);
    expect(team.name).toBe("Eventually");
    expect((await listTeams()).map((t) => t.name)).toContain("Eventually");
    expect(ticks).toBeGreaterThan(5);
  });
});

describe("file modes", () => {
  it("creates the data folder 0700 and the database 0600, and tightens a world-readable database", () => {
    const fresh = path.join(dir, "fresh", "db.sqlite");
    prepareDatabaseFile(fresh);
    expect(fs.statSync(path.dirname(fresh)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);
    const loose = path.join(dir, "loose.db");
    fs.writeFileSync(loose, "", { mode: 0o644 });
    fs.chmodSync(loose, 0o644);
    prepareDatabaseFile(loose);
    expect(fs.statSync(loose).mode & 0o777).toBe(0o600);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
