// The CLI's build (lib/cli/build.mjs, run by `npm install` and before the unit tests): a bundle per command, and V8's
// compiled code for a scan made beside them, which V8 accepts in a plain `node` process.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const BUILD = path.resolve("dist/cli");

describe("the built CLI", () => {
  it("carries V8's code cache for the scan bundle and the TypeScript compiler, and V8 accepts both", () => {
    const check = `
      const fs = require("node:fs"), vm = require("node:vm"), Module = require("node:module");
      const [file, cache] = process.argv.slice(1);
      const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), { filename: file, cachedData: fs.readFileSync(cache) });
      process.stdout.write(String(script.cachedDataRejected));`;
    const entries = [
      [path.join(BUILD, "scan.cjs"), path.join(BUILD, "code-cache", "scan.cjs.v8")],
      [require.resolve("typescript"), path.join(BUILD, "code-cache", "typescript.v8")],
    ];
    for (const [file, cache] of entries) {
      expect(fs.existsSync(cache!), cache).toBe(true);
      expect(execFileSync(process.execPath, ["-e", check, file!, cache!], { encoding: "utf8" })).toBe("false");
    }
  });

  it("keeps every bundle ASCII, so V8 holds its source in one byte a character", () => {
    for (const name of fs.readdirSync(BUILD).filter((n) => n.endsWith(".cjs"))) {
      expect(/^[\x00-\x7f]*$/.test(fs.readFileSync(path.join(BUILD, name), "utf8")), name).toBe(true);
    }
  });
});
