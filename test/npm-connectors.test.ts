// npm packages as connectors in the app: the register form's validation (beside the right field), a scan through the
// app's queue against the registry stub that pins the version a tag resolved to and records the integrity, a rescan
// that finds the same version, and a tampered tarball failing the scan with the reason.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getConnector } from "@/db/queries/connectors";
import { getScan, listScans, reportForScan, scannedPackageOf } from "@/db/queries/scans";
import { requestScan } from "@/lib/connectors";
import { parsePackageInput, RegisterNpmSchema, registerNpmConnector } from "@/lib/connectors-npm";
import { resetEnvForTests } from "@/lib/env";
import { scanQueue } from "@/lib/jobs/scan-queue";
import { unchangedCommit } from "@/lib/scan-history";
import { makeTeam, makeUser, sessionCookie } from "./support/auth";
import { useTestDb } from "./support/db";
import { startFakeRegistry, type FakeRegistry } from "./support/fake-registry";
import { DEMO_PACKAGE, publishDemoPackage } from "./support/npm-package-fixture";

let requestHeaders = new Headers();
vi.mock("next/headers", () => ({
  headers: async () => requestHeaders,
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const actor = { id: "tester", correlationId: "corr-npm" };
let registry: FakeRegistry;
let teamId: number;

beforeAll(async () => {
  registry = await startFakeRegistry({});
  process.env.npm_config_registry = registry.url;
});
afterAll(async () => {
  await scanQueue().whenIdle();
  delete process.env.npm_config_registry;
  await registry.close();
});
beforeEach(async () => {
  process.env.DATABASE_PATH = ":memory:";
  resetEnvForTests();
  await useTestDb();
  teamId = (await makeTeam("Package team")).id;
  registry.options.packuments = {};
  registry.options.tarballs = {};
});

const register = (input: { name: string; package: string; version?: string; subdirectory?: string }) =>
  registerNpmConnector(RegisterNpmSchema.parse({ scanNow: false, teamId, ...input }), actor);

async function scan(connectorId: number) {
  const { scan } = await requestScan(connectorId, "manual", actor);
  await scanQueue().whenIdle();
  return (await getScan(scan.id))!;
}

describe("registering an npm package", () => {
  it("takes a name, name@version, npm:name@version or the npmjs.com page", () => {
    expect(parsePackageInput("@acme/notes-mcp")).toEqual({ name: "@acme/notes-mcp", version: null });
    expect(parsePackageInput("npm:@acme/notes-mcp@1.2.0")).toEqual({ name: "@acme/notes-mcp", version: "1.2.0" });
    expect(parsePackageInput("notes-mcp@next")).toEqual({ name: "notes-mcp", version: "next" });
    expect(parsePackageInput("https://www.npmjs.com/package/@acme/notes-mcp/v/1.2.0")).toEqual({
      name: "@acme/notes-mcp",
      version: "1.2.0",
    });
  });

  it.each([
    [{ package: "../../etc/passwd" }, "package", /"..\/..\/etc\/passwd" is not an npm package name: name cannot start with a period/],
    [{ package: "notes mcp" }, "package", /is not an npm package name: name can only contain URL-friendly characters/],
    [{ package: "" }, "package", /Give the package's name/],
    [{ package: "@acme/notes-mcp", version: "^1.2.0" }, "version", /Not a version \(1\.4\.0\) or a dist-tag/],
    [{ package: "@acme/notes-mcp", version: "1.0.0;rm -rf /" }, "version", /Not a version/],
    [{ package: "@acme/notes-mcp@>=1" }, "package", /is not a version \(1\.4\.0\) or a dist-tag/],
    [{ package: "@acme/notes-mcp", subdirectory: "../outside" }, "subdirectory", /relative path inside the package/],
  ])("refuses %j beside the %s field", (input, field, message) => {
    const parsed = RegisterNpmSchema.safeParse({ name: "Notes", teamId, ...input });
    expect(parsed.success).toBe(false);
    const issue = parsed.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(message);
  });

  it("refuses a version in the package field that another version in the version field contradicts", async () => {
    await expect(register({ name: "Notes", package: "@acme/notes-mcp@1.2.0", version: "1.3.0" })).rejects.toMatchObject({
      code: "invalid:version",
      message: 'The package field names version "1.2.0", but this field says "1.3.0". Keep one of them.',
    });
  });

  it("stores the package and the version asked for (none: latest), through the register form's action", async () => {
    const user = await makeUser("maintainer@npm.test", { teamId, role: "maintainer" });
    requestHeaders = new Headers({ host: "localhost", "x-correlation-id": "corr-form", cookie: await sessionCookie(user.email) });
    const { registerConnectorAction } = await import("@/app/connectors/actions");
    const form = (entries: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ teamId: String(teamId), sourceKind: "npm", subdirectory: "", ...entries })) f.set(k, v);
      return f;
    };
    const refused = await registerConnectorAction({}, form({ name: "Notes", package: "Not A Name!", version: "" }));
    expect(refused.fieldErrors?.package).toMatch(/is not an npm package name/);
    expect(refused.values).toMatchObject({ sourceKind: "npm", package: "Not A Name!" });

    const redirect = await registerConnectorAction({}, form({ name: "Notes", package: "npm:@acme/notes-mcp", version: "" })).catch(
      (e: unknown) => e,
    );
    expect((redirect as { digest?: string }).digest).toMatch(/^NEXT_REDIRECT;.*;\/connectors\/\d+;/);
    const id = Number(/\/connectors\/(\d+)/.exec((redirect as { digest: string }).digest)![1]);
    expect(await getConnector(id)).toMatchObject({ sourceKind: "npm", location: "@acme/notes-mcp", ref: null, subdirectory: "" });
  });
});

describe("scanning an npm connector", () => {
  it("resolves latest to a version, pins it with the integrity, and says when a rescan found the same version", async () => {
    const integrity = await publishDemoPackage(registry, [
      { version: "1.2.0" },
      { version: "1.3.0", extra: { "src/extra.ts": "export {};\n" } },
    ]);
    const { connector } = await register({ name: "Notes", package: DEMO_PACKAGE });
    const first = await scan(connector.id);
    expect(first).toMatchObject({ status: "succeeded", commit: "1.3.0" });
    const report = (await reportForScan(first.id))!;
    expect(report.source).toMatchObject({
      kind: "npm",
      ref: "1.3.0",
      package: { name: DEMO_PACKAGE, version: "1.3.0", integrity: integrity["1.3.0"] },
    });
    expect(report.tools.map((t) => t.name).sort()).toEqual(["delete_note", "import_from_url", "search_notes", "share_note"]);
    expect(await scannedPackageOf(first.id)).toEqual({ name: DEMO_PACKAGE, version: "1.3.0", integrity: integrity["1.3.0"] });

    const second = await scan(connector.id);
    expect(unchangedCommit(await listScans(connector.id))).toEqual({ commit: "1.3.0", previousScanId: first.id });

    await publishDemoPackage(registry, [{ version: "1.4.0" }]);
    const third = await scan(connector.id);
    expect(third.commit).toBe("1.4.0");
    expect(unchangedCommit(await listScans(connector.id))).toBeNull();
    expect(second.id).toBeLessThan(third.id);
  }, 60_000);

  it("reads the pinned version when one was given, and only the subfolder asked for", async () => {
    await publishDemoPackage(registry, [{ version: "1.2.0" }, { version: "2.0.0" }]);
    const { connector } = await register({ name: "Notes 1.2", package: DEMO_PACKAGE, version: "1.2.0", subdirectory: "web" });
    const done = await scan(connector.id);
    expect(done).toMatchObject({ status: "succeeded", commit: "1.2.0" });
    const report = (await reportForScan(done.id))!;
    expect(report.source).toMatchObject({ subdirectory: "web", package: { version: "1.2.0" } });
    expect(report.stats.files).toBe(fs.readdirSync(path.resolve("examples/demo-connector/web")).length);
  }, 60_000);

  it("fails a scan whose tarball doesn't match the published integrity, saying so, and reads nothing of it", async () => {
    await publishDemoPackage(registry, [{ version: "1.5.0", extra: { "src/backdoor.ts": "export {};\n" }, tampered: true }]);
    const { connector } = await register({ name: "Tampered", package: DEMO_PACKAGE });
    const failed = await scan(connector.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(
      /^The tarball of @acme\/notes-mcp@1\.5\.0 \(.*\) does not match the integrity the registry publishes .* Refusing to scan it\.$/,
    );
    expect(await reportForScan(failed.id)).toBeNull();
  }, 60_000);

  it("fails with the versions that exist when the one asked for doesn't", async () => {
    await publishDemoPackage(registry, [{ version: "1.2.0" }]);
    const { connector } = await register({ name: "Missing", package: DEMO_PACKAGE, version: "9.9.9" });
    expect((await scan(connector.id)).error).toBe('@acme/notes-mcp has no version or tag "9.9.9" (latest is 1.2.0).');
  }, 60_000);
});
