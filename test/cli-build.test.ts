// The CLI's build (lib/cli/build.mjs, run by `npm install` and before the unit tests): a bundle per command, and V8's
// compiled code for a scan made beside them, which V8 accepts in a plain `node` process.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const BUILD = path.resolve("dist/cli");

describe("the built CLI", () => {
  it("carries V8's code cache for the scan bundle and its TypeScript compiler, and V8 accepts both", () => {
    const check = `
      const fs = require("node:fs"), vm = require("node:vm"), Module = require("node:module");
      const [file, cache] = process.argv.slice(1);
      const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), { filename: file, cachedData: fs.readFileSync(cache) });
      process.stdout.write(String(script.cachedDataRejected));`;
    const entries = [
      [path.join(BUILD, "scan.cjs"), path.join(BUILD, "code-cache", "scan.cjs.v8")],
      [path.join(BUILD, "typescript.cjs"), path.join(BUILD, "code-cache", "typescript.cjs.v8")],
    ];
    for (const [file, cache] of entries) {
      expect(fs.existsSync(cache!), cache).toBe(true);
      expect(execFileSync(process.execPath, ["-e", check, file!, cache!], { encoding: "utf8" })).toBe("false");
    }
  });

  it("loads a minified TypeScript compiler that reads code as the package's own does", () => {
    const load = createRequire(import.meta.url);
    const minified = load(path.join(BUILD, "typescript.cjs")) as typeof import("typescript");
    const original = load("typescript") as typeof import("typescript");
    expect(fs.statSync(path.join(BUILD, "typescript.cjs")).size).toBeLessThan(fs.statSync(load.resolve("typescript")).size / 2);
    expect(minified.version).toBe(original.version);
    // Every node's kind and span, in order, for each file of the demo connector.
    const shape = (ts: typeof import("typescript"), file: string, text: string) => {
      const out: string[] = [];
      const visit = (n: import("typescript").Node) => {
        out.push(`${n.kind}:${n.pos}-${n.end}`);
        ts.forEachChild(n, visit);
      };
      visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
      return out;
    };
    const demo = path.resolve("examples/demo-connector");
    const files = fs.readdirSync(demo, { recursive: true }).map(String).filter((f) => /\.(?:ts|tsx|js)$/.test(f) && !f.includes("node_modules"));
    let nodes = 0;
    for (const file of files) {
      const text = fs.readFileSync(path.join(demo, file), "utf8");
      const got = shape(minified, file, text);
      expect(got, file).toEqual(shape(original, file, text));
      nodes += got.length;
    }
    expect(nodes).toBeGreaterThan(1000);
  });

  it("stands in for the TypeScript compiler with the names our sources use, and reaches every other name too", async () => {
    // @ts-expect-error: the build script is plain JavaScript, without types
    const { lazyModule } = (await import("@/lib/cli/build.mjs")) as { lazyModule: (name: string) => string };
    const load = createRequire(import.meta.url);
    const real = load("typescript") as typeof import("typescript");
    let required = 0;
    const shim = { exports: {} as Record<string, unknown> };
    const source = lazyModule("typescript").replace(/export default lazy;\s*$/, "module.exports = lazy;");
    new Function("require", "module", source)((id: string) => (required++, load(id)), shim);
    const ts = shim.exports as unknown as typeof import("typescript");
    // Enums are there before the compiler loads; the functions our sources call are the object's own names.
    expect(ts.SyntaxKind.Identifier).toBe(real.SyntaxKind.Identifier);
    expect(required).toBe(0);
    expect(Object.hasOwn(ts, "isIdentifier")).toBe(true);
    expect(Object.keys(ts).length).toBeLessThan(300);
    const file = ts.createSourceFile("a.ts", "const a = b;", ts.ScriptTarget.Latest, true);
    expect(required).toBe(1);
    expect(ts.isIdentifier).toBe(real.isIdentifier);
    // A name no source of ours uses is found through the stand-in's prototype.
    expect(Object.hasOwn(ts, "createPrinter")).toBe(false);
    expect(ts.createPrinter().printFile(file).trim()).toBe("const a = b;");
  });

  it("leaves out iconv-lite, which minipass-fetch only tries to load (the registry tests go through minipass-fetch without it)", () => {
    for (const name of ["scan.cjs", "scan-worker.cjs"]) expect(fs.readFileSync(path.join(BUILD, name), "utf8")).not.toContain("node_modules/iconv-lite/");
  });

  it("keeps every bundle ASCII, so V8 holds its source in one byte a character", () => {
    for (const name of fs.readdirSync(BUILD).filter((n) => n.endsWith(".cjs"))) {
      expect(/^[\x00-\x7f]*$/.test(fs.readFileSync(path.join(BUILD, name), "utf8")), name).toBe(true);
    }
  });
  it("loads the TypeScript compiler for a scan that reads JavaScript or TypeScript, and only then", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-lazy-ts-"));
    try {
      // Says, when the CLI exits, whether the compiler's module was ever loaded.
      const probe = path.join(dir, "probe.cjs");
      fs.writeFileSync(
        probe,
        `process.on("exit", () => process.stderr.write(Object.keys(require.cache).some((f) => f.endsWith("typescript.cjs")) ? "loaded" : "not loaded"));`,
      );
      const loads = (source: string) =>
        spawnSync(
          process.execPath,
          [
            "-r",
            probe,
            path.resolve("lib/cli/launch-review.mjs"),
            "scan",
            source,
            "--advisories",
            "none",
            "--quiet",
            "--out",
            path.join(dir, "report.json"),
          ],
          {
            encoding: "utf8",
            env: { ...process.env, LAUNCH_REVIEW_LOG_LEVEL: "silent", npm_config_registry: "http://127.0.0.1:9/", XDG_CACHE_HOME: dir },
          },
        ).stderr;
      expect(loads(path.resolve("test/fixtures/connectors/py-fastmcp"))).toBe("not loaded");
      expect(loads(path.resolve("examples/demo-connector"))).toBe("loaded");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("run from an installed package (under node_modules), runs its build as it is, without rebuilding from newer sources", () => {
    const home = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lr-installed-")), "node_modules", "launch-review");
    try {
      fs.mkdirSync(path.join(home, "lib", "cli"), { recursive: true });
      fs.mkdirSync(path.join(home, "dist", "cli"), { recursive: true });
      fs.copyFileSync(path.resolve("lib/cli/launch-review.mjs"), path.join(home, "lib", "cli", "launch-review.mjs"));
      fs.writeFileSync(path.join(home, "dist", "cli", "main.cjs"), 'process.stdout.write("the installed build ran");');
      fs.writeFileSync(path.join(home, "dist", "cli", "BUILD_STAMP"), "then");
      const then = new Date(Date.now() - 60_000);
      fs.utimesSync(path.join(home, "dist", "cli", "BUILD_STAMP"), then, then);
      // A source newer than the build: a checkout would rebuild (through lib/cli/build.mjs, which this copy lacks).
      fs.writeFileSync(path.join(home, "lib", "newer.ts"), "export {};");
      const out = execFileSync(process.execPath, [path.join(home, "lib", "cli", "launch-review.mjs"), "--version"], { encoding: "utf8" });
      expect(out).toBe("the installed build ran");
    } finally {
      fs.rmSync(path.dirname(path.dirname(home)), { recursive: true, force: true });
    }
  });
});
