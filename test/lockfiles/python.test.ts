// uv.lock, poetry.lock and pinned requirements files: one dependency set in all three reads to the same packages;
// extras, groups, old and new Poetry flags, and what a requirements file can't pin.
import { describe, expect, it } from "vitest";
import { parseLockfile } from "@/lib/engine/parse/lockfiles";
import { normalizePythonName, parseRequirementString } from "@/lib/engine/parse/lockfiles/python";
import type { ParsedLockfile } from "@/lib/engine/parse/lockfiles/types";
import { fixtureInput, packageSummary, parseFixture } from "../support/lockfile-fixtures";

const nameVersionDev = (packages: ParsedLockfile["packages"]) => packages.map((p) => `${p.name}@${p.version}${p.dev ? " dev" : ""}`).sort();

function requirements(text: string, path = "requirements.txt"): ParsedLockfile {
  return parseLockfile({ path, text, manifest: null });
}

describe("one Python dependency set in three formats", () => {
  const uv = parseFixture("uv");
  const poetry = parseFixture("poetry");
  const pip = [parseFixture("pip", "requirements.txt"), parseFixture("pip", "requirements-dev.txt")];

  it("uv.lock and poetry.lock lock the same packages with the same flags and paths", () => {
    expect(packageSummary(uv.packages)).toHaveLength(16);
    expect(packageSummary(poetry.packages)).toEqual(packageSummary(uv.packages));
    for (const p of uv.packages) {
      expect(poetry.packages.find((q) => q.name === p.name)?.paths, p.name).toEqual(p.paths);
    }
    expect(uv.packages.find((p) => p.name === "h11")?.paths).toEqual([["httpx", "httpcore", "h11"]]);
    expect(uv.packages.filter((p) => p.direct).map((p) => p.name)).toEqual(["httpx", "pydantic", "pytest"]);
    expect(uv.packages.every((p) => p.ecosystem === "pypi")).toBe(true);
  });

  it("the requirements files lock the same packages (dev from the dev file), names normalized per PEP 503", () => {
    expect(nameVersionDev(pip.flatMap((l) => l.packages))).toEqual(nameVersionDev(uv.packages));
    // pip-compile's "# via" comments give the graph.
    expect(pip[0]!.packages.find((p) => p.name === "typing-extensions")?.paths).toEqual([
      ["pydantic", "typing-extensions"],
      ["pydantic", "pydantic-core", "typing-extensions"],
    ]);
    expect(pip[0]!.packages.filter((p) => p.direct).map((p) => p.name)).toEqual(["httpx", "pydantic"]);
  });

  it("reports what each project declares, locked", () => {
    expect(uv.formatVersion).toBe("1 (revision 2)");
    expect(uv.rootDependencies).toEqual([
      { name: "httpx", spec: "==0.27.0", kind: "prod", locked: "0.27.0" },
      { name: "pydantic", spec: ">=2.8,<3", kind: "prod", locked: "2.8.2" },
      { name: "pytest", spec: ">=8.3", kind: "dev", locked: "8.3.2" },
    ]);
    expect(poetry.formatVersion).toBe("2.0");
    expect(poetry.importers?.[0]?.dependencies.map((d) => `${d.name} ${d.spec} ${d.kind} ${d.locked}`)).toEqual([
      "httpx 0.27.0 prod 0.27.0",
      "pydantic ^2.8 prod 2.8.2",
      "pytest ^8.3 dev 8.3.2",
    ]);
    expect(pip[1]!.skipped).toEqual([{ line: 2, entry: "-c requirements.txt", reason: "constraints file, not followed" }]);
  });

  it("without pyproject.toml, poetry.lock still reads, taking the top packages as direct", () => {
    const parsed = parseLockfile({ ...fixtureInput("poetry"), manifest: null });
    expect(parsed.packages.filter((p) => p.direct).map((p) => p.name)).toEqual(["httpx", "pydantic", "pytest"]);
  });
});

describe("uv.lock", () => {
  const lock = `version = 1
requires-python = ">=3.10"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "mcp", extra = ["cli"] }, { name = "numpy", version = "2.0.0", source = { registry = "https://pypi.org/simple" }, marker = "python_version >= '3.10'" }]

[[package]]
name = "mcp"
version = "1.2.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "anyio" }]

[package.optional-dependencies]
cli = [{ name = "typer" }]
rich = [{ name = "Rich" }]

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "typer"
version = "0.12.3"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "rich"
version = "13.7.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }
`;

  it("follows the extras a dependency asks for; other extras stay optional", () => {
    const parsed = parseLockfile({ path: "uv.lock", text: lock, manifest: null });
    const flags = Object.fromEntries(
      parsed.packages.map((p) => [
        `${p.name}@${p.version}`,
        `${p.optional ? "optional" : "required"} ${JSON.stringify(p.paths[0] ?? null)}`,
      ]),
    );
    expect(flags).toEqual({
      "anyio@4.4.0": 'required ["mcp","anyio"]',
      "mcp@1.2.0": 'required ["mcp"]',
      "numpy@1.26.4": "required null",
      "numpy@2.0.0": 'required ["numpy"]',
      "rich@13.7.1": 'optional ["mcp","rich"]',
      "typer@0.12.3": 'required ["mcp","typer"]',
    });
    // The project itself is not a package to audit.
    expect(parsed.packages.some((p) => p.name === "app")).toBe(false);
    // mcp and mcp[cli] are two nodes of one package: typer comes in through one chain of names, listed once.
    expect(parsed.packages.find((p) => p.name === "typer")!.paths).toEqual([["mcp", "typer"]]);
  });

  it("refuses a TOML file without uv's version", () => {
    expect(() => parseLockfile({ path: "uv.lock", text: '[[package]]\nname = "x"\n', manifest: null })).toThrow(/no numeric `version`/);
    expect(() => parseLockfile({ path: "uv.lock", text: "version = \n", manifest: null })).toThrow(/not valid TOML/);
  });
});

describe("poetry.lock flags across Poetry versions", () => {
  const pkg = (name: string, extra: string) =>
    `[[package]]\nname = "${name}"\nversion = "1.0.0"\noptional = false\npython-versions = "*"\n${extra}\n`;

  it("Poetry 1.1 `category`", () => {
    const parsed = parseLockfile({
      path: "poetry.lock",
      text: `${pkg("requests", 'category = "main"')}${pkg("black", 'category = "dev"')}[metadata]\nlock-version = "1.1"\n`,
      manifest: null,
    });
    expect(nameVersionDev(parsed.packages)).toEqual(["black@1.0.0 dev", "requests@1.0.0"]);
  });

  it("Poetry 2 `groups`", () => {
    const parsed = parseLockfile({
      path: "poetry.lock",
      text: `${pkg("requests", 'groups = ["main"]')}${pkg("black", 'groups = ["dev", "lint"]')}${pkg("both", 'groups = ["main", "dev"]')}[metadata]\nlock-version = "2.1"\n`,
      manifest: null,
    });
    expect(nameVersionDev(parsed.packages)).toEqual(["black@1.0.0 dev", "both@1.0.0", "requests@1.0.0"]);
  });
});

describe("requirements files", () => {
  it("reads pins with extras, markers, hashes and continuation lines; skips the rest with a reason", () => {
    const parsed = requirements(
      [
        "# pinned by hand",
        "--extra-index-url https://user:s3cret@private.example.com/simple",
        "-r base.txt",
        "-e git+https://token@github.com/org/repo.git#egg=repo",
        "uvicorn[standard]==0.30.1 ; python_version >= '3.9'",
        "Flask == 3.0.3 \\",
        "    --hash=sha256:aaaa \\",
        "    --hash=sha256:bbbb",
        "requests>=2.31",
        "fastapi",
        "starlette==0.37.*",
        "weird===2024.1-custom",
        "bad==not a version",
        "mylib @ https://example.com/mylib-1.0.tar.gz",
        "./vendor/thing",
        "sqlalchemy==2.0.31  # the ORM",
      ].join("\n"),
    );
    expect(parsed.packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      "flask@3.0.3",
      "sqlalchemy@2.0.31",
      "uvicorn@0.30.1",
      "weird@2024.1-custom",
    ]);
    expect(parsed.skipped).toEqual([
      { line: 2, entry: "--extra-index-url", reason: "pip option, not a requirement" },
      { line: 3, entry: "-r base.txt", reason: "includes another requirements file, which is not followed" },
      { line: 4, entry: "-e", reason: "editable install of a local folder or repository, not a pinned release" },
      { line: 9, entry: "requests >=2.31", reason: "not pinned to one version (use ==)" },
      { line: 10, entry: "fastapi", reason: "no version: not pinned" },
      { line: 11, entry: "starlette ==0.37.*", reason: "not pinned to one version (use ==)" },
      { line: 13, entry: "bad ==notaversion", reason: "not a PEP 440 version" },
      { line: 14, entry: "mylib @ (URL)", reason: "not a release from the package index: advisories can't be matched" },
      { line: 15, entry: "(URL or path)", reason: "not a release from the package index: advisories can't be matched" },
    ]);
    // Credentials in option values never reach the report.
    expect(JSON.stringify(parsed.skipped)).not.toMatch(/s3cret|token@/);
    expect(parsed.packages.every((p) => p.direct && !p.dev)).toBe(true);
  });

  it("marks every package of a development requirements file dev", () => {
    for (const name of ["requirements-dev.txt", "dev-requirements.txt", "requirements/test.txt", "requirements_lint.txt"]) {
      expect(requirements("pytest==8.3.2\n", name).packages[0]?.dev, name).toBe(true);
    }
    expect(requirements("pytest==8.3.2\n", "requirements/prod.txt").packages[0]?.dev).toBe(false);
  });
});

describe("Python names and requirement strings", () => {
  it("normalizes names per PEP 503", () => {
    expect(normalizePythonName("Typing.Extensions")).toBe("typing-extensions");
    expect(normalizePythonName("pydantic__core")).toBe("pydantic-core");
    expect(normalizePythonName("Zope.Interface-_.x")).toBe("zope-interface-x");
  });

  it("splits PEP 508 and Poetry-style requirement strings", () => {
    expect(parseRequirementString("mcp[cli, rich] (>=1.2) ; python_version > '3.9'")).toEqual({
      name: "mcp",
      extras: ["cli", "rich"],
      spec: ">=1.2",
      url: false,
    });
    expect(parseRequirementString("httpx>=0.27,<1")).toEqual({ name: "httpx", extras: [], spec: ">=0.27,<1", url: false });
    expect(parseRequirementString("pkg @ https://x/y.whl")).toMatchObject({ name: "pkg", url: true });
    expect(parseRequirementString("[broken")).toBeNull();
  });
});
