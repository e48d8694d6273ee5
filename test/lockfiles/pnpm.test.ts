// pnpm-lock.yaml details on small hand-written lockfiles: v5 keys, peer variants, aliases, refusals.
import { describe, expect, it } from "vitest";
import { parseLockfile } from "@/lib/engine/parse/lockfiles";
import { UnparseableLockfileError, type ParsedLockfile } from "@/lib/engine/parse/lockfiles/types";

function read(text: string): ParsedLockfile {
  return parseLockfile({ path: "app/pnpm-lock.yaml", text, manifest: null });
}

function reasonOf(text: string): string {
  try {
    read(text);
  } catch (error) {
    if (error instanceof UnparseableLockfileError) return error.reason;
    throw error;
  }
  throw new Error("expected the lockfile to be refused");
}

const ids = (parsed: ParsedLockfile) =>
  parsed.packages.map((p) => `${p.name}@${p.version}${p.dev ? " dev" : ""}${p.direct ? " direct" : ""}`);

describe("pnpm lockfiles", () => {
  it("reads v9 peer variants of one package as one package reached both ways", () => {
    const parsed = read(`lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      ui-kit:
        specifier: ^1.0.0
        version: 1.2.0(react@18.3.1)
      react:
        specifier: ^18.0.0
        version: 18.3.1
    devDependencies:
      '@scope/tester':
        specifier: 2.0.0
        version: 2.0.0
      legacy:
        specifier: npm:ui-kit@1.2.0
        version: ui-kit@1.2.0(react@17.0.2)
packages:
  ui-kit@1.2.0:
    resolution: {integrity: sha512-x}
    peerDependencies:
      react: '>=17'
  react@18.3.1:
    resolution: {integrity: sha512-x}
  react@17.0.2:
    resolution: {integrity: sha512-x}
  '@scope/tester@2.0.0':
    resolution: {integrity: sha512-x}
snapshots:
  ui-kit@1.2.0(react@18.3.1):
    dependencies:
      react: 18.3.1
  ui-kit@1.2.0(react@17.0.2):
    dependencies:
      react: 17.0.2
  react@18.3.1: {}
  react@17.0.2: {}
  '@scope/tester@2.0.0':
    dependencies:
      ui-kit: 1.2.0(react@18.3.1)
`);
    expect(ids(parsed)).toEqual(["@scope/tester@2.0.0 dev direct", "react@17.0.2 dev", "react@18.3.1 direct", "ui-kit@1.2.0 direct"]);
    expect(parsed.packages.find((p) => p.name === "react" && p.version === "17.0.2")?.paths).toEqual([["ui-kit", "react"]]);
    expect(parsed.rootDependencies?.find((d) => d.name === "legacy")).toEqual({
      name: "legacy",
      spec: "npm:ui-kit@1.2.0",
      kind: "dev",
      locked: "1.2.0",
    });
  });

  it("reads v5 keys (/name/version_peer) and top-level sections of a single project", () => {
    const parsed = read(`lockfileVersion: 5.4
specifiers:
  express: ^4.18.0
  '@types/node': ^20.0.0
dependencies:
  express: 4.18.2
devDependencies:
  '@types/node': 20.1.0
packages:
  /express/4.18.2:
    resolution: {integrity: sha512-x}
    dependencies:
      debug: 2.6.9_supports-color@7.2.0
    dev: false
  /debug/2.6.9_supports-color@7.2.0:
    resolution: {integrity: sha512-x}
    dependencies:
      supports-color: 7.2.0
  /supports-color/7.2.0:
    resolution: {integrity: sha512-x}
  /@types/node/20.1.0:
    resolution: {integrity: sha512-x}
    dev: true
`);
    expect(parsed.formatVersion).toBe("5.4");
    expect(ids(parsed)).toEqual(["@types/node@20.1.0 dev direct", "debug@2.6.9", "express@4.18.2 direct", "supports-color@7.2.0"]);
    expect(parsed.packages.find((p) => p.name === "supports-color")?.paths).toEqual([["express", "debug", "supports-color"]]);
    expect(parsed.rootDependencies?.find((d) => d.name === "express")).toEqual({
      name: "express",
      spec: "^4.18.0",
      kind: "prod",
      locked: "4.18.2",
    });
  });

  it("keeps git and tarball packages under the name and version their entry records", () => {
    const parsed = read(`lockfileVersion: '6.0'
dependencies:
  forked:
    specifier: github:someone/forked#abc123
    version: github.com/someone/forked/abc1234567
  local:
    specifier: file:../local
    version: file:../local
packages:
  github.com/someone/forked/abc1234567:
    resolution: {tarball: https://codeload.github.com/someone/forked/tar.gz/abc1234567}
    name: forked
    version: 3.1.0
  file:../local:
    resolution: {directory: ../local, type: directory}
    name: local
    version: 0.0.0
`);
    expect(ids(parsed)).toEqual(["forked@3.1.0 direct"]);
  });

  it.each([
    ["an unknown version", "lockfileVersion: '4.0'\n", /not a pnpm lockfile version/],
    ["no version", "importers: {}\n", /no lockfileVersion/],
    ["a list", "- a\n- b\n", /not a YAML mapping/],
    ["broken YAML", "lockfileVersion: '9.0'\npackages:\n  a: [1, 2\n", /not valid YAML/],
  ])("refuses %s with a reason", (_name, text, reason) => {
    expect(reasonOf(text)).toMatch(reason);
  });
});
