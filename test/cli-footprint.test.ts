// The CLI as a user runs it from their own project: it writes nothing where it runs (no database, no data folder),
// keeps its cache in the user's cache folder, and answers --version without loading the scanner.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "@/package.json";
import { startFakeRegistry, type FakeRegistry } from "./support/fake-registry";
import { demoRegistry } from "./support/registry-fixture";
import { runCli } from "./support/cli";

const DEMO = path.resolve("examples/demo-connector");
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const filesUnder = (dir: string): string[] =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));

describe("launch-review from an empty folder", () => {
  let registry: FakeRegistry;
  beforeAll(async () => {
    registry = await startFakeRegistry(demoRegistry());
  });
  afterAll(() => registry.close());

  it("prints its version and usage, and leaves the folder empty", async () => {
    const cwd = tmp("lr-cwd-");
    const version = await runCli(["--version"], {}, { cwd });
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await runCli(["--help"], {}, { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("launch-review scan <source>");
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("scans, writes nothing in the folder, and caches advisory answers in the user's cache folder only", async () => {
    const cwd = tmp("lr-cwd-");
    const cache = tmp("lr-cache-");
    // No DATABASE_PATH: the default (./data/launch-review.db) is exactly what must not appear.
    const env = { npm_config_registry: registry.url, XDG_CACHE_HOME: cache, DATABASE_PATH: undefined };
    const first = await runCli(["scan", DEMO, "--format", "json", "--quiet"], env, { cwd });
    expect(first.stderr).toBe("");
    expect([0, 1]).toContain(first.code);
    expect(JSON.parse(first.stdout).dependencies.advisorySource.status).toBe("ok");
    expect(fs.readdirSync(cwd)).toEqual([]);
    const cached = filesUnder(path.join(cache, "launch-review"));
    expect(cached.length).toBeGreaterThan(0);
    for (const f of cached) expect(fs.statSync(f).mode & 0o077, f).toBe(0);

    // A second scan answers from the cache: no new bulk advisory request reaches the registry.
    const bulkBefore = registry.bulkRequests.length;
    const second = await runCli(["scan", DEMO, "--format", "json", "--quiet"], env, { cwd });
    expect(JSON.parse(second.stdout).dependencies.advisorySource.status).toBe("ok");
    expect(registry.bulkRequests.length).toBe(bulkBefore);
    expect(fs.readdirSync(cwd)).toEqual([]);
  }, 120_000);

  it("with --no-cache asks the source every time and keeps no cache at all", async () => {
    const cwd = tmp("lr-cwd-");
    const cache = tmp("lr-cache-");
    const env = { npm_config_registry: registry.url, XDG_CACHE_HOME: cache, DATABASE_PATH: undefined };
    const bulkBefore = registry.bulkRequests.length;
    await runCli(["scan", DEMO, "--quiet", "--no-cache"], env, { cwd });
    await runCli(["scan", DEMO, "--quiet", "--no-cache"], env, { cwd });
    expect(registry.bulkRequests.length).toBe(bulkBefore + 2);
    expect(fs.readdirSync(cache)).toEqual([]);
    expect(fs.readdirSync(cwd)).toEqual([]);
  }, 120_000);

  it("parses Python with the grammars it was installed with, whatever folder it runs from", async () => {
    const cwd = tmp("lr-cwd-");
    const run = await runCli(
      ["scan", path.resolve("test/fixtures/connectors/py-fastmcp"), "--quiet", "--advisories", "none", "--format", "json"],
      {},
      { cwd },
    );
    const report = JSON.parse(run.stdout) as { findings: Array<{ ruleId: string; message: string }>; tools: unknown[] };
    expect(report.findings.filter((f) => f.message.includes("could not be parsed"))).toEqual([]);
    expect(report.tools.length).toBeGreaterThan(0);
  }, 60_000);

  it("writes the report only to --out", async () => {
    const cwd = tmp("lr-cwd-");
    const run = await runCli(
      ["scan", DEMO, "--quiet", "--advisories", "none", "--out", "report.json"],
      { DATABASE_PATH: undefined },
      { cwd },
    );
    expect(run.stdout).toBe("");
    expect(fs.readdirSync(cwd)).toEqual(["report.json"]);
    expect(JSON.parse(fs.readFileSync(path.join(cwd, "report.json"), "utf8")).schemaVersion).toBe(1);
  }, 60_000);
});
