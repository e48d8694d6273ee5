// readLockfiles over whole snapshots: lockfiles found and read once per scan, the unreadable ones with a reason, and
// the hygiene issues (no lockfile, two managers, out of sync, install scripts) pointing at the file to fix.
import { describe, expect, it } from "vitest";
import { Facts } from "@/lib/engine/facts/container";
import { findLockfiles, readLockfiles, type HygieneIssue } from "@/lib/engine/parse/lockfiles";
import { snapshotOf } from "../support/rules";
import { fixtureFiles } from "../support/lockfile-fixtures";

function read(files: Record<string, string | Uint8Array>) {
  return readLockfiles(new Facts(snapshotOf(files)));
}

/** A fixture folder's files placed under `prefix` in a snapshot. */
function under(prefix: string, dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(fixtureFiles(dir)).map(([p, text]) => [`${prefix}${p}`, text]));
}

const brief = (issues: HygieneIssue[]) => issues.map((i) => `${i.kind} ${i.path}${i.line ? `:${i.line}` : ""} ${i.subject}`);

const lock = (deps: Record<string, string>) =>
  JSON.stringify({
    lockfileVersion: 3,
    packages: {
      "": { dependencies: deps },
      ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
    },
  });

describe("finding and reading lockfiles", () => {
  it("finds every lockfile format, in subfolders too, but not in tests or fixtures", () => {
    const snapshot = snapshotOf({
      "package-lock.json": "{}",
      "server/pnpm-lock.yaml": "",
      "web/yarn.lock": "",
      "bun/bun.lock": "",
      "py/uv.lock": "",
      "py2/poetry.lock": "",
      "py3/requirements.txt": "",
      "py3/requirements-dev.txt": "",
      "py3/requirements/prod.txt": "",
      "py3/notes.txt": "",
      "test/fixtures/package-lock.json": "{}",
      "e2e/yarn.lock": "",
    });
    expect(findLockfiles(snapshot)).toEqual([
      { path: "bun/bun.lock", format: "bun" },
      { path: "package-lock.json", format: "npm" },
      { path: "py/uv.lock", format: "uv" },
      { path: "py2/poetry.lock", format: "poetry" },
      { path: "py3/requirements-dev.txt", format: "pip" },
      { path: "py3/requirements.txt", format: "pip" },
      { path: "py3/requirements/prod.txt", format: "pip" },
      { path: "server/pnpm-lock.yaml", format: "pnpm" },
      { path: "web/yarn.lock", format: "yarn" },
    ]);
  });

  it("reads each once per scan and lists the unreadable ones with the reason", () => {
    const facts = new Facts(
      snapshotOf({
        ...under("", "npm/v3"),
        "server/package.json": JSON.stringify({ dependencies: { express: "4.18.2" } }),
        "server/package-lock.json": "{ not json",
        "tools/bun.lockb": new Uint8Array([0, 1, 2, 3]),
        "tools/package.json": JSON.stringify({ devDependencies: { x: "1.0.0" } }),
      }),
    );
    const first = readLockfiles(facts);
    expect(readLockfiles(facts)).toBe(first);
    expect(first.lockfiles.map((l) => `${l.path} ${l.format} ${l.packages.length}`)).toEqual(["package-lock.json npm 123"]);
    expect(first.unparseable).toEqual([
      { path: "server/package-lock.json", format: "npm", reason: expect.stringMatching(/^not valid JSON/) },
      { path: "tools/bun.lockb", format: "bun", reason: expect.stringMatching(/binary lockfile is not read/) },
    ]);
    // An unreadable lockfile still counts as a lockfile: no "missing lockfile" on top of "unparseable".
    expect(first.hygiene).toEqual([]);
  });

  it("gives a yarn classic workspace its members' manifests, from the root's workspaces globs", () => {
    const result = read(under("repo/", "yarn/workspace-classic"));
    const parsed = result.lockfiles[0]!;
    expect(parsed.importers?.map((i) => i.path)).toEqual(["", "packages/server", "packages/shared"]);
    expect(parsed.packages.find((p) => p.name === "is-number" && p.version === "7.0.0")?.dev).toBe(true);
    expect(result.hygiene.filter((i) => i.kind !== "install-script")).toEqual([]);
  });

  it("names pnpm workspace projects in paths from their package.json, found through pnpm-workspace.yaml", () => {
    const result = read(under("", "pnpm/workspace-v9"));
    const ms = result.lockfiles[0]!.packages.find((p) => p.name === "ms" && p.version === "2.1.3");
    expect(ms?.paths).toEqual([["ms"], ["@fx/shared", "ms"]]);
    expect(result.hygiene).toEqual([]);
  });

  it("reads a uv.lock with the pyproject.toml beside it", () => {
    const result = read(under("", "uv"));
    expect(result.lockfiles.map((l) => l.format)).toEqual(["uv"]);
    expect(result.hygiene).toEqual([]);
  });
});

describe("hygiene: a package.json no lockfile covers", () => {
  it("reports a package.json with dependencies and no lockfile, at its first dependency", () => {
    const result = read({ "server/package.json": '{\n  "name": "server",\n  "dependencies": {\n    "express": "^4.18.0"\n  }\n}\n' });
    expect(brief(result.hygiene)).toEqual(["no-lockfile server/package.json:4 server/package.json"]);
    expect(result.hygiene[0]!.message).toMatch(/no lockfile pins them/);
  });

  it("stays silent for manifests without registry dependencies, in tests, or beside a lockfile", () => {
    const result = read({
      "package.json": JSON.stringify({ name: "root", scripts: { build: "tsc" } }),
      "lib/package.json": JSON.stringify({ dependencies: { sibling: "workspace:*", local: "file:../x" } }),
      "test/fixtures/app/package.json": JSON.stringify({ dependencies: { express: "4.18.2" } }),
      "api/package.json": JSON.stringify({ dependencies: { express: "4.18.2" } }),
      "api/pnpm-lock.yaml":
        "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      express:\n        specifier: 4.18.2\n        version: 4.18.2\npackages:\n  express@4.18.2:\n    resolution: {integrity: x}\nsnapshots:\n  express@4.18.2: {}\n",
    });
    expect(brief(result.hygiene)).toEqual([]);
  });

  it("reports a pyproject.toml with dependencies and no Python lockfile, at its dependencies line", () => {
    const pep621 = '[project]\nname = "a"\nversion = "1"\ndependencies = ["httpx>=0.27"]\n';
    const result = read({
      "server/pyproject.toml": pep621,
      "poetry-app/pyproject.toml": '[tool.poetry]\nname = "b"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = "^0.27"\n',
      "locked/pyproject.toml": pep621,
      "locked/uv.lock": 'version = 1\n[[package]]\nname = "httpx"\nversion = "0.27.0"\nsource = { registry = "https://pypi.org/simple" }\n',
      "pinned/pyproject.toml": pep621,
      "pinned/requirements.txt": "httpx==0.27.0\n",
      "bare/pyproject.toml": '[project]\nname = "c"\nversion = "1"\n',
      "python-only/pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.11"\n',
      "tests/fixture/pyproject.toml": pep621,
    });
    expect(brief(result.hygiene)).toEqual([
      "no-lockfile poetry-app/pyproject.toml:4 poetry-app/pyproject.toml",
      "no-lockfile server/pyproject.toml:4 server/pyproject.toml",
    ]);
    expect(result.hygiene[0]!.message).toMatch(/no uv.lock, poetry.lock or pinned requirements file/);
  });

  it("a lockfile above covers its workspace members, but not a folder outside its workspaces", () => {
    const files = {
      ...under("", "npm/workspace-v3"),
      "connector/package.json": JSON.stringify({ dependencies: { zod: "^3.23.0" } }),
    };
    const result = read(files);
    expect(brief(result.hygiene.filter((i) => i.kind === "no-lockfile"))).toEqual([
      "no-lockfile connector/package.json:1 connector/package.json",
    ]);
    expect(result.hygiene.find((i) => i.kind === "no-lockfile")!.message).toMatch(
      /package-lock.json does not list connector as a workspace/,
    );
  });
});

describe("hygiene: lockfiles of two managers side by side", () => {
  it("reports npm + yarn and uv + poetry, not npm + shrinkwrap nor uv + requirements", () => {
    const result = read({
      "package.json": JSON.stringify({ dependencies: { ms: "2.1.3" } }),
      "package-lock.json": lock({ ms: "2.1.3" }),
      "yarn.lock": '# yarn lockfile v1\n\nms@2.1.3:\n  version "2.1.3"\n',
      "cli/package.json": JSON.stringify({ dependencies: { ms: "2.1.3" } }),
      "cli/package-lock.json": lock({ ms: "2.1.3" }),
      "cli/npm-shrinkwrap.json": lock({ ms: "2.1.3" }),
      "py/uv.lock": 'version = 1\n[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://pypi.org/simple" }\n',
      "py/poetry.lock": '[[package]]\nname = "a"\nversion = "1.0"\n[metadata]\nlock-version = "2.0"\n',
      "py/requirements.txt": "a==1.0\n",
    });
    const mixed = result.hygiene.filter((i) => i.kind === "mixed-lockfiles");
    expect(mixed.map((i) => (i.kind === "mixed-lockfiles" ? i.lockfiles : []))).toEqual([
      ["package-lock.json", "yarn.lock"],
      ["py/poetry.lock", "py/uv.lock"],
    ]);
    expect(mixed[0]!.message).toMatch(/package-lock.json and yarn.lock side by side \(npm, yarn\)/);
  });
});

describe("hygiene: a lockfile out of sync with its package.json", () => {
  const FORMATS = ["npm/v1", "npm/v2", "npm/v3", "pnpm/v6", "pnpm/v9", "yarn/classic", "yarn/berry", "bun/v1", "bun/v2"];

  it.each(FORMATS)("%s: a range the locked version misses, and a dependency the lockfile lacks", (dir) => {
    const files = under("app/", dir);
    const manifest = JSON.parse(files["app/package.json"]!);
    manifest.dependencies.express = "^4.19.0";
    manifest.dependencies.lodash = "^4.17.21";
    files["app/package.json"] = JSON.stringify(manifest, null, 2);
    const result = read(files);
    const issues = result.hygiene.filter((i) => i.kind === "out-of-sync");
    expect(issues.map((i) => (i.kind === "out-of-sync" ? `${i.dependency} ${i.spec} ${i.locked} ${i.path}:${i.line}` : ""))).toEqual([
      "express ^4.19.0 4.18.2 app/package.json:7",
      "lodash ^4.17.21 null app/package.json:9",
    ]);
    expect(issues[0]!.message).toMatch(/locks 4\.18\.2, outside that range/);
    expect(issues[1]!.message).toMatch(/doesn't lock it/);
  });

  it.each(FORMATS)("%s: silent when the lockfile matches", (dir) => {
    expect(read(under("", dir)).hygiene).toEqual([]);
  });

  it("checks workspace members against their own package.json, and skips specs that are not ranges", () => {
    const files = under("", "npm/workspace-v3");
    const server = JSON.parse(files["packages/server/package.json"]!);
    server.dependencies.debug = "^4.3.5";
    server.dependencies["old-ms"] = "npm:ms@^2.0.0";
    server.dependencies["@fx/shared"] = "*";
    server.devDependencies = { tool: "latest" };
    files["packages/server/package.json"] = JSON.stringify(server, null, 2);
    const issues = read(files).hygiene.filter((i) => i.kind === "out-of-sync");
    expect(issues.map((i) => (i.kind === "out-of-sync" ? `${i.path} ${i.dependency} ${i.locked}` : ""))).toEqual([
      "packages/server/package.json debug 4.3.4",
      // "latest" is a tag: whatever it meant then, the lockfile doesn't record the dependency at all.
      "packages/server/package.json tool null",
    ]);
  });
});

describe("hygiene: install scripts", () => {
  it("lists each package that runs one, at its line in the lockfile", () => {
    const result = read(under("", "npm/workspace-v3"));
    const scripts = result.hygiene.filter((i) => i.kind === "install-script");
    expect(brief(scripts)).toEqual(["install-script package-lock.json:28 core-js@3.38.1"]);
    expect(scripts[0]).toMatchObject({ package: "core-js", version: "3.38.1", dev: false, direct: true });
    expect(scripts[0]!.message).toMatch(/runs an install script/);
  });

  it("bun.lock records them too", () => {
    const result = read(under("", "bun/workspace"));
    expect(brief(result.hygiene)).toEqual([`install-script bun.lock:${result.hygiene[0]!.line} core-js@3.38.1`]);
    expect(result.hygiene[0]!.line).toBeGreaterThan(1);
  });
});
