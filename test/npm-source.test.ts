// A published npm package as a source: fetched from the configured registry, checked against the integrity the
// packument publishes, unpacked in memory and scanned like a repository. Never installed, never run.
import path from "node:path";
import ssri from "ssri";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSourceInput } from "@/lib/engine/sources/parse";
import { runCli } from "./support/cli";
import { startFakeRegistry, type FakeRegistry } from "./support/fake-registry";
import { filesFromFolder, tarGz } from "./support/tar-builder";

const DEMO = path.resolve("examples/demo-connector");

describe("npm:name@version", () => {
  let registry: FakeRegistry;
  let tarball: Buffer;
  beforeAll(async () => {
    const files = filesFromFolder(DEMO);
    tarball = await tarGz(Object.entries(files).map(([p, content]) => ({ path: p, content })), { prefix: "package/" });
    const tampered = await tarGz([...Object.entries(files).map(([p, content]) => ({ path: p, content })), { path: "src/extra.ts", content: "export {};\n" }], { prefix: "package/" });
    registry = await startFakeRegistry({ packuments: {}, tarballs: { "/tarballs/notes-1.2.0.tgz": tarball, "/tarballs/notes-1.3.0.tgz": tampered } });
    const dist = (file: string, of: Buffer) => ({ tarball: `${registry.url}tarballs/${file}`, integrity: ssri.fromData(of, { algorithms: ["sha512"] }).toString() });
    registry.options.packuments = {
      "@acme/notes-mcp": {
        name: "@acme/notes-mcp",
        "dist-tags": { latest: "1.3.0" },
        versions: {
          "1.2.0": { name: "@acme/notes-mcp", version: "1.2.0", dist: dist("notes-1.2.0.tgz", tarball) },
          // The registry publishes the integrity of the genuine tarball, but serves another.
          "1.3.0": { name: "@acme/notes-mcp", version: "1.3.0", dist: { ...dist("notes-1.3.0.tgz", tarball) } },
        },
        time: {},
      },
    };
  });
  afterAll(() => registry.close());

  it("parses the source, and refuses names and versions that aren't", () => {
    expect(parseSourceInput("npm:@acme/notes-mcp@1.2.0")).toEqual({ kind: "npm", name: "@acme/notes-mcp", version: "1.2.0" });
    expect(parseSourceInput("npm:notes")).toEqual({ kind: "npm", name: "notes", version: null });
    expect(() => parseSourceInput("npm:../../etc@1.0.0")).toThrow(/not an npm package name/);
    expect(() => parseSourceInput("npm:notes@1.0.0;rm -rf")).toThrow(/not a version or a dist-tag/);
  });

  it("scans the package's files and names the package, version and integrity in the report", async () => {
    const run = await runCli(["scan", "npm:@acme/notes-mcp@1.2.0", "--quiet", "--advisories", "none"], { npm_config_registry: registry.url });
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout);
    expect(report.source).toMatchObject({
      kind: "npm",
      ref: "1.2.0",
      package: { name: "@acme/notes-mcp", version: "1.2.0", integrity: expect.stringMatching(/^sha512-/) },
    });
    expect(report.tools.map((t: { name: string }) => t.name).sort()).toEqual(["delete_note", "import_from_url", "search_notes", "share_note"]);
    expect(report.stats.files).toBe(Object.keys(filesFromFolder(DEMO)).length);
  }, 60_000);

  it("refuses a tarball that doesn't match the published integrity, before reading it", async () => {
    const run = await runCli(["scan", "npm:@acme/notes-mcp", "--quiet", "--advisories", "none"], { npm_config_registry: registry.url });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^launch-review: The tarball of @acme\/notes-mcp@1\.3\.0 \(.*\) does not match the integrity the registry publishes .* Refusing to scan it\.\n$/);
  }, 60_000);

  it("says which versions exist when the one asked for doesn't", async () => {
    const run = await runCli(["scan", "npm:@acme/notes-mcp@9.9.9", "--quiet"], { npm_config_registry: registry.url });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('launch-review: @acme/notes-mcp has no version or tag "9.9.9" (latest is 1.3.0).');
  }, 60_000);
});
