// npm lockfile details on small hand-written lockfiles: node_modules resolution, flags, links, peers, v1 trees.
import { describe, expect, it } from "vitest";
import { parseLockfile } from "@/lib/engine/parse/lockfiles";
import { UnparseableLockfileError, type ParsedLockfile } from "@/lib/engine/parse/lockfiles/types";

function v3(packages: Record<string, unknown>, root: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: "app", lockfileVersion: 3, requires: true, packages: { "": { name: "app", ...root }, ...packages } });
}

function read(text: string, manifest: Record<string, unknown> | null = null): ParsedLockfile {
  return parseLockfile({ path: "package-lock.json", text, manifest });
}

const pkg = (parsed: ParsedLockfile, id: string) => parsed.packages.find((p) => `${p.name}@${p.version}` === id);

describe("npm lockfile versions 2 and 3", () => {
  it("resolves a dependency to the nearest node_modules copy", () => {
    const parsed = read(
      v3(
        {
          "node_modules/a": { version: "1.0.0", dependencies: { b: "^2.0.0" } },
          "node_modules/a/node_modules/b": { version: "2.1.0", dependencies: { c: "1" } },
          "node_modules/b": { version: "1.0.0" },
          "node_modules/c": { version: "1.4.0" },
        },
        { dependencies: { a: "1.0.0", b: "1.0.0" } },
      ),
    );
    expect(pkg(parsed, "b@2.1.0")).toMatchObject({ direct: false, paths: [["a", "b"]] });
    expect(pkg(parsed, "b@1.0.0")).toMatchObject({ direct: true, paths: [["b"]] });
    expect(pkg(parsed, "c@1.4.0")?.paths).toEqual([["a", "b", "c"]]);
  });

  it("takes npm's recorded dev, optional and devOptional flags", () => {
    const parsed = read(
      v3({
        "node_modules/d": { version: "1.0.0", dev: true },
        "node_modules/o": { version: "1.0.0", optional: true },
        "node_modules/both": { version: "1.0.0", devOptional: true },
        "node_modules/p": { version: "1.0.0" },
      }),
    );
    expect(pkg(parsed, "d@1.0.0")).toMatchObject({ dev: true, optional: false });
    expect(pkg(parsed, "o@1.0.0")).toMatchObject({ dev: false, optional: true });
    // devOptional: dev in one place, optional in another; neither only-dev nor only-optional.
    expect(pkg(parsed, "both@1.0.0")).toMatchObject({ dev: false, optional: false });
    expect(pkg(parsed, "p@1.0.0")).toMatchObject({ dev: false, optional: false });
  });

  it("reads aliases by their real name and records install scripts", () => {
    const parsed = read(
      v3(
        {
          "node_modules/old-ms": { name: "ms", version: "2.0.0" },
          "node_modules/esbuild": { version: "0.21.5", hasInstallScript: true, dev: true },
        },
        { dependencies: { "old-ms": "npm:ms@2.0.0" }, devDependencies: { esbuild: "^0.21.0" } },
      ),
    );
    expect(pkg(parsed, "ms@2.0.0")).toMatchObject({ direct: true, paths: [["ms"]], hasInstallScript: false });
    expect(pkg(parsed, "esbuild@0.21.5")).toMatchObject({ hasInstallScript: true, dev: true });
    expect(parsed.rootDependencies).toEqual([
      { name: "old-ms", spec: "npm:ms@2.0.0", kind: "prod", locked: "2.0.0" },
      { name: "esbuild", spec: "^0.21.0", kind: "dev", locked: "0.21.5" },
    ]);
  });

  it("follows a file: link into the linked folder without reporting the folder", () => {
    const parsed = read(
      v3(
        {
          "node_modules/lib": { resolved: "../lib", link: true },
          "../lib": { name: "lib", version: "0.0.1", dependencies: { left: "^1.0.0" } },
          "node_modules/left": { version: "1.3.0" },
        },
        { dependencies: { lib: "file:../lib" } },
      ),
    );
    expect(parsed.packages.map((p) => p.name)).toEqual(["left"]);
    expect(pkg(parsed, "left@1.3.0")).toMatchObject({ direct: false, paths: [["lib", "left"]] });
  });

  it("follows peer dependencies but not optional peers", () => {
    const parsed = read(
      v3(
        {
          "node_modules/plugin": {
            version: "1.0.0",
            peerDependencies: { host: "^2.0.0", color: "*" },
            peerDependenciesMeta: { color: { optional: true } },
          },
          "node_modules/host": { version: "2.0.0", peer: true },
          "node_modules/color": { version: "1.0.0", dev: true },
        },
        { dependencies: { plugin: "1.0.0" }, devDependencies: { color: "1.0.0" } },
      ),
    );
    expect(pkg(parsed, "host@2.0.0")?.paths).toEqual([["plugin", "host"]]);
    expect(pkg(parsed, "color@1.0.0")?.paths).toEqual([["color"]]);
  });

  it("when the root records no dependencies, takes the packages nothing depends on as direct", () => {
    const parsed = read(v3({ "node_modules/a": { version: "1.0.0", dependencies: { b: "1" } }, "node_modules/b": { version: "1.0.0" } }));
    expect(parsed.packages.map((p) => `${p.name} ${p.direct} ${JSON.stringify(p.paths)}`)).toEqual([
      'a true [["a"]]',
      'b false [["a","b"]]',
    ]);
  });

  it("ignores entries of the wrong type instead of failing", () => {
    const parsed = read(
      v3(
        {
          "node_modules/ok": { version: "1.0.0", dependencies: ["not", "a", "map"], optionalDependencies: 7 },
          "node_modules/str": "1.0.0",
          "node_modules/nul": null,
          "node_modules/num": { version: 5 },
          "node_modules/constructor": { version: "1.0.0" },
          "node_modules/__proto__": { version: "1.0.0" },
        },
        { dependencies: { ok: "1.0.0", constructor: "1.0.0", toString: "1.0.0" } },
      ),
    );
    expect(parsed.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(["__proto__@1.0.0", "constructor@1.0.0", "ok@1.0.0"]);
    expect(parsed.rootDependencies?.find((d) => d.name === "toString")?.locked).toBeNull();
  });

  it.each([
    ["not JSON", "{ lockfileVersion: 3", /not valid JSON/],
    ["an array", "[1, 2]", /not a JSON object/],
    ["a string version", JSON.stringify({ lockfileVersion: "3", packages: {} }), /is not a lockfile version/],
    ["v3 without packages", JSON.stringify({ lockfileVersion: 3 }), /without a `packages` object/],
    ["neither shape", JSON.stringify({ name: "x" }), /neither `packages` nor `dependencies`/],
  ])("refuses %s with a reason", (_name, text, reason) => {
    const error = (() => {
      try {
        read(text);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnparseableLockfileError);
    expect((error as UnparseableLockfileError).reason).toMatch(reason);
    expect((error as UnparseableLockfileError).path).toBe("package-lock.json");
  });
});

describe("npm lockfile version 1", () => {
  const lock = JSON.stringify({
    name: "app",
    lockfileVersion: 1,
    requires: true,
    dependencies: {
      a: { version: "1.0.0", requires: { b: "^2.0.0" }, dependencies: { b: { version: "2.0.0", requires: { c: "1.0.0" } } } },
      b: { version: "1.0.0", dev: true },
      c: { version: "1.0.0" },
      "old-c": { version: "npm:c@0.9.0" },
    },
  });

  it("flattens the nested tree and resolves requires the way Node does", () => {
    const parsed = read(lock, { dependencies: { a: "1.0.0", "old-c": "npm:c@0.9.0" }, devDependencies: { b: "1.0.0" } });
    expect(pkg(parsed, "b@2.0.0")).toMatchObject({ dev: false, direct: false, paths: [["a", "b"]] });
    expect(pkg(parsed, "b@1.0.0")).toMatchObject({ dev: true, direct: true });
    expect(pkg(parsed, "c@1.0.0")?.paths).toEqual([["a", "b", "c"]]);
    expect(pkg(parsed, "c@0.9.0")).toMatchObject({ direct: true, paths: [["c"]] });
    expect(parsed.rootDependencies).toBeNull();
    expect(parsed.importers?.[0]?.dependencies.find((d) => d.name === "old-c")?.locked).toBe("0.9.0");
  });

  it("without a manifest, takes the packages nothing requires as direct", () => {
    const parsed = read(lock);
    expect(
      parsed.packages
        .filter((p) => p.direct)
        .map((p) => `${p.name}@${p.version}`)
        .sort(),
    ).toEqual(["a@1.0.0", "b@1.0.0", "c@0.9.0"]);
  });
});
