// Hostile lockfiles: huge, deeply nested, alias bombs, past the entry and edge limits, cycles, wrong types,
// prototype keys, lines built to make a regular expression backtrack. Each gives a clear UnparseableLockfileError or
// a sane result, quickly; never a crash or a hang.
import { describe, expect, it } from "vitest";
import { parseLockfile } from "@/lib/engine/parse/lockfiles";
import { isWorkspaceFolder } from "@/lib/engine/parse/lockfiles/manifest";
import { LOCKFILE_LIMITS, UnparseableLockfileError, type ParsedLockfile } from "@/lib/engine/parse/lockfiles/types";

/** Parses, returning the result or the unparseable reason, and how long it took. */
function attempt(path: string, text: string): { parsed?: ParsedLockfile; reason?: string; ms: number } {
  const started = performance.now();
  try {
    const parsed = parseLockfile({ path, text, manifest: null });
    return { parsed, ms: performance.now() - started };
  } catch (error) {
    if (!(error instanceof UnparseableLockfileError)) throw error;
    expect(error.path).toBe(path);
    return { reason: error.reason, ms: performance.now() - started };
  }
}

const DEEP = 50_000;

describe("size and nesting", () => {
  it("refuses text past the size limit before parsing it", () => {
    const result = attempt("package-lock.json", " ".repeat(LOCKFILE_LIMITS.maxChars + 1));
    expect(result.reason).toBe("larger than the 32 MB read");
    expect(result.ms).toBeLessThan(1000);
  });

  it.each([
    ["package-lock.json", "[".repeat(DEEP) + "]".repeat(DEEP), /the top level is not a JSON object/],
    ["package-lock.json", '{"a":'.repeat(DEEP) + "1" + "}".repeat(DEEP), /neither `packages` nor `dependencies`/],
    [
      "package-lock.json",
      `{"lockfileVersion":1,"dependencies":${'{"a":{"version":"1.0.0","dependencies":'.repeat(100)}{}${"}}".repeat(100)}}`,
      /dependencies nested deeper than 64 levels/,
    ],
    [
      "pnpm-lock.yaml",
      `lockfileVersion: '9.0'\npackages: ${"[".repeat(DEEP)}${"]".repeat(DEEP)}`,
      /not valid YAML \(nested too deeply to read\)/,
    ],
    ["yarn.lock", `__metadata:\n  version: 8\nx: ${"[".repeat(DEEP)}${"]".repeat(DEEP)}\n`, /not a readable yarn.lock/],
    ["bun.lock", `{"lockfileVersion":1,"packages":${"[".repeat(DEEP)}${"]".repeat(DEEP)}}`, /nested too deeply to read/],
    ["uv.lock", `version = 1\nx = ${"[".repeat(DEEP)}${"]".repeat(DEEP)}`, /not valid TOML/],
  ])("%s nested %#: refused with a reason", (path, text, reason) => {
    const result = attempt(path, text);
    expect(result.reason).toMatch(reason);
    expect(result.ms).toBeLessThan(5000);
  });

  it.each([
    ["pnpm-lock.yaml", `lockfileVersion: '9.0'\n${Array.from({ length: 3000 }, (_, i) => `${" ".repeat(i)}a:`).join("\n")}`],
    ["yarn.lock", `# yarn lockfile v1\n\n${Array.from({ length: 3000 }, (_, i) => `${"  ".repeat(i)}a:`).join("\n")}\n`],
  ])("%s nested by indentation: refused, or read as the nothing it is", (path, text) => {
    // How deep a recursive parser gets before the stack runs out depends on the machine: either outcome is fine.
    const result = attempt(path, text);
    if (result.parsed) expect(result.parsed.packages).toEqual([]);
    else expect(result.reason).toMatch(/nested too deeply to read|not valid YAML/);
    expect(result.ms).toBeLessThan(5000);
  });
});

describe("amplification", () => {
  it("refuses a YAML billion-laughs document", () => {
    const lines = ["lockfileVersion: '9.0'", "a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) {
      const [prev, next] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    lines.push("snapshots: *j");
    const result = attempt("pnpm-lock.yaml", lines.join("\n"));
    expect(result.reason).toMatch(/not valid YAML \(Excessive alias count/);
    expect(result.ms).toBeLessThan(2000);
  });

  it("refuses a Berry lockfile whose entries share one huge dependency map through an alias", () => {
    const names = Array.from({ length: 1500 }, (_, i) => `p${i}`);
    const lines = ["__metadata:", "  version: 8", "", "shared: &deps", ...names.map((n) => `  ${n}: "npm:1.0.0"`)];
    for (const n of names) lines.push(`"${n}@npm:1.0.0":`, "  version: 1.0.0", `  resolution: "${n}@npm:1.0.0"`, "  dependencies: *deps");
    const result = attempt("yarn.lock", `${lines.join("\n")}\n`);
    expect(result.reason).toBe("more than 1,000,000 dependency edges");
  });
});

describe("entry limits", () => {
  const N = LOCKFILE_LIMITS.maxEntries + 1;
  const many = (line: (i: number) => string, join = "\n") => Array.from({ length: N }, (_, i) => line(i)).join(join);

  it.each([
    [
      "package-lock.json",
      () =>
        JSON.stringify({
          lockfileVersion: 3,
          packages: Object.fromEntries(Array.from({ length: N }, (_, i) => [`node_modules/p${i}`, { version: "1.0.0" }])),
        }),
    ],
    ["pnpm-lock.yaml", () => `lockfileVersion: '9.0'\nsnapshots:\n${many((i) => `  p${i}@1.0.0: {}`)}\n`],
    ["yarn.lock", () => `# yarn lockfile v1\n\n${many((i) => `p${i}@1.0.0:\n  version "1.0.0"\n`)}`],
    ["bun.lock", () => `{"lockfileVersion":1,"packages":{${many((i) => `"p${i}":["p${i}@1.0.0","",{},"x"]`, ",")}}}`],
    ["uv.lock", () => `version = 1\n${many((i) => `[[package]]\nname = "p${i}"\nversion = "1.0"\n`)}`],
    ["requirements.txt", () => many((i) => `p${i}==1.0`)],
  ])("%s with 100,001 packages is refused", (path, build) => {
    const result = attempt(path, build());
    expect(result.reason).toMatch(/^100,00[12] package entries, more than the 100,000 read$/);
  });

  it("reads 100,000 packages in a chain with a cycle back to the start in bounded time", () => {
    const packages: Record<string, unknown> = { "": { dependencies: { p0: "1.0.0" } } };
    for (let i = 0; i < 99_999; i++)
      packages[`node_modules/p${i}`] = { version: "1.0.0", dependencies: { [`p${i + 1}`]: "1.0.0", p0: "1.0.0" } };
    const result = attempt("package-lock.json", JSON.stringify({ lockfileVersion: 3, packages }));
    expect(result.parsed?.packages).toHaveLength(99_999);
    // Paths stop at the depth limit; the packages past it are still reported.
    const deep = result.parsed!.packages.find((p) => p.name === "p100")!;
    expect(deep.paths).toEqual([]);
    expect(result.parsed!.packages.find((p) => p.name === "p3")?.paths).toEqual([["p0", "p1", "p2", "p3"]]);
    expect(result.ms).toBeLessThan(20_000);
  });

  it("a requirements file of endless comments is refused by its line count", () => {
    const result = attempt("requirements.txt", `a==1.0\n    # via\n${"    #   b\n".repeat(LOCKFILE_LIMITS.maxEntries * 10)}`);
    expect(result.reason).toBe("more than 1,000,000 lines");
  });
});

describe("cycles", () => {
  it.each([
    [
      "package-lock.json",
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          "": { dependencies: { a: "1" } },
          "node_modules/a": { version: "1.0.0", dependencies: { b: "1", a: "1" } },
          "node_modules/b": { version: "1.0.0", dependencies: { c: "1" } },
          "node_modules/c": { version: "1.0.0", dependencies: { a: "1", b: "1" } },
        },
      }),
    ],
    [
      "pnpm-lock.yaml",
      "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a: {specifier: '1', version: 1.0.0}\nsnapshots:\n  a@1.0.0: {dependencies: {b: 1.0.0, a: 1.0.0}}\n  b@1.0.0: {dependencies: {c: 1.0.0}}\n  c@1.0.0: {dependencies: {a: 1.0.0, b: 1.0.0}}\n",
    ],
    [
      "bun.lock",
      '{"lockfileVersion":1,"workspaces":{"":{"dependencies":{"a":"1"}}},"packages":{"a":["a@1.0.0","",{"dependencies":{"b":"1","a":"1"}},""],"b":["b@1.0.0","",{"dependencies":{"c":"1"}},""],"c":["c@1.0.0","",{"dependencies":{"a":"1","b":"1"}},""]}}',
    ],
  ])("%s: a → b → c → a gives finite, simple paths", (path, text) => {
    const parsed = attempt(path, text).parsed!;
    expect(parsed.packages.map((p) => [p.name, p.paths])).toEqual([
      ["a", [["a"]]],
      ["b", [["a", "b"]]],
      ["c", [["a", "b", "c"]]],
    ]);
  });
});

describe("wrong types and prototype keys", () => {
  const CASES: Array<[string, string]> = [
    [
      "package-lock.json",
      JSON.stringify({
        lockfileVersion: 3,
        packages: { "": [], "node_modules/a": { version: {}, dependencies: "x" }, "node_modules/b": { link: true, resolved: 5 } },
      }),
    ],
    ["package-lock.json", JSON.stringify({ lockfileVersion: 2, packages: [], dependencies: { a: 7, b: { version: [], requires: [1] } } })],
    [
      "package-lock.json",
      JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: "1.0.0", requires: { b: 1 }, dependencies: [] } } }),
    ],
    ["pnpm-lock.yaml", "lockfileVersion: '9.0'\nimporters: [1, 2]\npackages: x\nsnapshots:\n  a@1.0.0: [1]\n  b: {dependencies: [x]}\n"],
    [
      "pnpm-lock.yaml",
      "lockfileVersion: '6.0'\ndependencies:\n  a: {specifier: 1}\npackages:\n  /a@1.0.0: x\n  /__proto__@1.0.0: {}\n  /constructor@1.0.0: {dependencies: {__proto__: 1.0.0}}\n",
    ],
    [
      "yarn.lock",
      '# yarn lockfile v1\n\na@1:\n  version "1.0.0"\n  dependencies "x"\n\nconstructor@1:\n  version "1.0.0"\n  dependencies:\n    __proto__ "1"\n',
    ],
    [
      "yarn.lock",
      '__metadata:\n  version: 8\n\n"a@npm:1":\n  version: [1]\n  resolution: {x: 1}\n"constructor@npm:1":\n  version: 1.0.0\n  resolution: "constructor@npm:1.0.0"\n  dependencies: [1]\n',
    ],
    [
      "bun.lock",
      '{"lockfileVersion":1,"workspaces":[],"packages":{"a":"x","b":[1,2],"constructor":["constructor@1.0.0","",{"dependencies":{"__proto__":"1"}},""],"__proto__":["__proto__@1.0.0"]}}',
    ],
    ["uv.lock", 'version = 1\npackage = "x"\n'],
    [
      "uv.lock",
      'version = 1\n[[package]]\nname = 5\n[[package]]\nname = "a"\nversion = "1.0"\ndependencies = "x"\nsource = { editable = 5 }\n',
    ],
    [
      "poetry.lock",
      '[metadata]\nlock-version = 2\n[[package]]\nname = "a"\nversion = 1\n[[package]]\nname = "b"\nversion = "1"\ndependencies = 3\n',
    ],
  ];

  it.each(CASES)("%s (%#): read what is usable or refuse, never throw anything else", (path, text) => {
    const result = attempt(path, text);
    expect(result.parsed ?? result.reason).toBeDefined();
    if (result.parsed) for (const p of result.parsed.packages) expect(typeof p.version).toBe("string");
  });

  it("never lets a lockfile key reach Object.prototype", () => {
    attempt("bun.lock", '{"lockfileVersion":1,"packages":{"__proto__":["polluted@1.0.0","",{"dependencies":{"x":"1"}},""]}}');
    attempt(
      "package-lock.json",
      '{"lockfileVersion":3,"packages":{"__proto__":{"polluted":true},"node_modules/__proto__":{"version":"1.0.0"}}}',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("version");
  });
});

describe("inputs built to make a regular expression backtrack", () => {
  it("requirements lines of 100,000+ characters read in linear time", () => {
    const text = [
      `a${" ".repeat(200_000)}b==1.0 #${"#".repeat(100_000)}`,
      `${"a".repeat(300_000)}==1.0`,
      `x[${"y,".repeat(100_000)}`,
      `z==${"1.".repeat(100_000)}0`,
      `w${"-".repeat(100_000)}x==1.0`,
      `-r ${"=".repeat(100_000)}`,
      `q==1.0 ${" --hash=sha256:0".repeat(20_000)}`,
    ].join("\n");
    const result = attempt("requirements.txt", text);
    expect(result.parsed?.packages.map((p) => p.name)).toEqual(["q"]);
    expect(result.parsed?.skipped?.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.ms).toBeLessThan(3000);
  });

  it("workspace globs of many stars against long folders match in polynomial time", () => {
    const started = performance.now();
    expect(isWorkspaceFolder([`${"*a".repeat(200)}b`], `${"a".repeat(3000)}`)).toBe(false);
    expect(isWorkspaceFolder(["**/".repeat(200) + "x"], `${"d/".repeat(500)}y`)).toBe(false);
    expect(isWorkspaceFolder(["packages/*", "!packages/skip"], "packages/skip")).toBe(false);
    expect(isWorkspaceFolder(["packages/**"], "packages/a/b")).toBe(true);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("a pnpm key of 100,000 '(' reads in linear time", () => {
    const key = `a@1.0.0${"(".repeat(100_000)}`;
    // An explicit key ("? "): YAML caps implicit keys at 1,024 characters.
    const result = attempt("pnpm-lock.yaml", `lockfileVersion: '9.0'\nsnapshots:\n  ? '${key}'\n  : {}\n`);
    expect(result.parsed?.packages.map((p) => `${p.name}@${p.version}`)).toEqual(["a@1.0.0"]);
    expect(result.ms).toBeLessThan(3000);
  });
});
