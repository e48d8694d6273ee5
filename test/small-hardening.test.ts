// Item 8 of the attack on a running instance: the smaller defects, each with the behaviour it now has.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { CLI_BIN } from "./support/cli";
import { makeTeam, makeUser, sessionCookie } from "./support/auth";
import { useTestDb } from "./support/db";
import { resetEnvForTests } from "@/lib/env";

let requestHeaders = new Headers();
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

beforeEach(async () => {
  process.env.DATABASE_PATH = ":memory:";
  delete process.env.LAUNCH_REVIEW_LOCAL_ROOT;
  resetEnvForTests();
  await useTestDb();
});

function cli(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "test",
        LAUNCH_REVIEW_LOG_LEVEL: "silent",
        DATABASE_PATH: ":memory:",
      },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += String(c)));
    child.stderr.on("data", (c: Buffer) => (stderr += String(c)));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("launch-review user create", () => {
  it("refuses a weak password with one line, not a ZodError stack", async () => {
    const run = await cli(["user", "create", "--email", "weak@example.com", "--password-stdin"], "password1234\n");
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      "launch-review: Password refused: This password is too easy to guess. It is on the list of common and breached passwords (or built from one). Use a longer phrase of unrelated words.",
    ]);
    expect(run.stderr).not.toMatch(/ZodError|at .*\.ts:\d+/);
    const badEmail = await cli(["user", "create", "--email", "not-an-email", "--password-stdin"], "staple-orbit-lantern-cactus\n");
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr.trim().split("\n")).toEqual(["launch-review: Email refused: Enter an email address."]);
  }, 60_000);
});

describe("an invalid schedule interval", () => {
  it("sends the maintainer back to the connector page with a message instead of throwing", async () => {
    const { registerLocalConnector } = await import("@/lib/connectors");
    const team = await makeTeam("Schedules");
    await makeUser("sched@example.com", { teamId: team.id, role: "maintainer" });
    requestHeaders = new Headers({ cookie: await sessionCookie("sched@example.com") });
    const { connector } = await registerLocalConnector(
      { name: "Scheduled", path: "demo-connector", subdirectory: "", scanNow: false, teamId: team.id },
      { id: "t", correlationId: "t" },
    );
    const { scheduleAction } = await import("@/app/connectors/actions");
    const form = new FormData();
    form.set("connectorId", String(connector.id));
    form.set("minutes", "7");
    const thrown = await scheduleAction(form).catch((e: unknown) => e);
    expect((thrown as { digest?: string }).digest).toMatch(
      new RegExp(`^NEXT_REDIRECT;replace;/connectors/${connector.id}\\?schedule=invalid;`),
    );
  });
});

describe("the demo seed", () => {
  it("registers and scans the bundled demo even when LAUNCH_REVIEW_LOCAL_ROOT is elsewhere", async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "lr-root-"));
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = elsewhere;
    resetEnvForTests();
    const { seedDemo, DEMO_CONNECTOR_NAME } = await import("@/lib/startup");
    const { findConnectorByName } = await import("@/db/queries/connectors");
    const { listScans } = await import("@/db/queries/scans");
    const { scanQueue } = await import("@/lib/jobs/scan-queue");
    await seedDemo();
    const demo = await findConnectorByName(DEMO_CONNECTOR_NAME);
    expect(demo).toBeDefined();
    await scanQueue().whenIdle();
    expect((await listScans(demo!.id))[0]?.status).toBe("succeeded");
    // Other folders outside the configured root stay refused.
    const { resolveFolderUnderRoot } = await import("@/lib/engine/sources/local");
    await expect(resolveFolderUnderRoot(path.resolve("examples"), (await import("@/lib/env")).env().scanRoots)).rejects.toThrow(/outside/);
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }, 60_000);
});

describe("names with bidirectional or hidden characters", () => {
  const name = "Invoices \u202Egnp.exe\u202C \u200Bdemo";

  it("are written with the characters made visible in the CSV export and in webhook payloads", async () => {
    const { matrixCsvLines } = await import("@/lib/fleet/dashboard");
    const { payloadFor } = await import("@/lib/alerts");
    const csv = matrixCsvLines([
      {
        id: 1,
        name,
        teamId: 1,
        teamName: "T",
        sourceKind: "local",
        location: "/x",
        scanId: 1,
        scannedAt: null,
        critical: 0,
        high: 0,
        advisoriesCritical: 0,
        advisoriesHigh: 0,
        advisoriesKnown: true,
        status: "not reviewed",
        signedOffCommit: null,
        risk: 0,
        cells: new Map([
          [
            "react",
            [
              {
                connectorId: 1,
                package: "react",
                version: "19.0.0",
                latest: "19.0.0",
                lag: "current",
                advisories: [],
                fixedIn: null,
                scanId: 1,
                advisoriesKnown: true,
              },
            ],
          ],
        ]),
      },
    ]).join("\n");
    expect(csv).toContain("Invoices ⟦U+202E⟧gnp.exe⟦U+202C⟧ ⟦U+200B⟧demo");
    expect(csv).not.toMatch(/[\u202A-\u202E\u200B]/);
    const payload = payloadFor({ format: "json" }, { type: "test", title: `${name}: stale`, connector: { id: 1, name } }, new Date());
    expect(JSON.stringify(payload)).not.toMatch(/[\u202A-\u202E\u200B]/);
    expect(payload.title).toBe("Invoices ⟦U+202E⟧gnp.exe⟦U+202C⟧ ⟦U+200B⟧demo: stale");
  });
});
