import { CHECKS } from "@/checks";
import { checksByItem } from "@/lib/engine/checklist/derive";
import { describe, expect, it } from "vitest";
import { fixtureFiles } from "@/test/support/lockfile-fixtures";
import { runCheckOn } from "@/test/support/rules";
import { lockfilesCheck, rules } from "./lockfiles";

const brief = (findings: Awaited<ReturnType<typeof runCheckOn>>) =>
  findings.map((f) => `${f.ruleId} ${f.severity} ${f.location?.path}${f.location?.line ? `:${f.location.line}` : ""}`).sort();

describe("lockfiles check", () => {
  it("a clean project has no finding", async () => {
    expect(await runCheckOn(lockfilesCheck, fixtureFiles("npm/v3"))).toEqual([]);
  });

  it("says when .gitignore keeps the lockfile out, and points at that line", async () => {
    const findings = await runCheckOn(lockfilesCheck, {
      "package.json": '{\n  "dependencies": {\n    "ms": "^2.1.3"\n  }\n}\n',
      ".gitignore": "node_modules\n# build\ndist\n/package-lock.json\n",
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.ruleId).toBe(rules.noLockfile.id);
    expect(findings[0]!.message).toContain(".gitignore keeps package-lock.json out of the repository");
    expect(findings[0]!.related).toEqual([{ path: ".gitignore", line: 4 }]);
  });

  it("turns each hygiene issue into a finding under the dependency-hygiene item", async () => {
    const files = fixtureFiles("npm/v3");
    const manifest = JSON.parse(files["package.json"]!);
    manifest.dependencies.express = "^4.19.0";
    const findings = await runCheckOn(lockfilesCheck, {
      ...files,
      "package.json": JSON.stringify(manifest, null, 2),
      "legacy/package.json": '{"dependencies":{"ms":"2.1.3"}}',
      "legacy/package-lock.json": JSON.stringify({
        lockfileVersion: 3,
        packages: { "": { dependencies: { ms: "2.1.3" } }, "node_modules/ms": { version: "2.1.3" } },
      }),
      "legacy/yarn.lock": '# yarn lockfile v1\n\nms@2.1.3:\n  version "2.1.3"\n',
      "worker/package.json": '{\n  "dependencies": {\n    "ms": "^2.1.3"\n  }\n}\n',
      ...Object.fromEntries(Object.entries(fixtureFiles("npm/workspace-v3")).map(([p, t]) => [`tools/${p}`, t])),
    });
    expect(brief(findings)).toEqual([
      `${rules.installScript.id} info tools/package-lock.json:28`,
      `${rules.noLockfile.id} moderate worker/package.json:3`,
      `${rules.mixed.id} low legacy/package-lock.json`,
      `${rules.outOfSync.id} moderate package.json:7`,
    ]);
    expect(findings.every((f) => f.checklistItem === "operations.dependency-hygiene")).toBe(true);
    expect(findings.find((f) => f.ruleId === rules.outOfSync.id)!.message).toMatch(/express.*4\.18\.2/);
  });

  it("reports a lockfile it can't read, and a file's unpinned requirements as one finding with each line", async () => {
    const findings = await runCheckOn(lockfilesCheck, {
      "package.json": '{"dependencies":{"ms":"2.1.3"}}',
      "package-lock.json": '{"lockfileVersion": 3, "packages": ',
      "requirements.txt": "httpx==0.27.0\npydantic>=2\n--index-url https://user:token@example.com/simple\n",
    });
    expect(brief(findings)).toEqual([
      `${rules.unparseable.id} moderate package-lock.json`,
      `${rules.unpinned.id} low requirements.txt:2`,
    ]);
    const unpinned = findings.find((f) => f.ruleId === rules.unpinned.id)!;
    expect(unpinned.related?.map((l) => `${l.path}:${l.line}`)).toEqual(["requirements.txt:3"]);
    expect(unpinned.message).toMatch(/^2 entries of requirements.txt don't pin one version: pydantic >=2: .*; --index-url/);
    expect(findings.find((f) => f.ruleId === rules.unparseable.id)!.message).toMatch(/Unparseable lockfile package-lock.json \(npm\): /);
    // An index URL can carry a token: the finding names the option, never its value.
    expect(JSON.stringify(findings)).not.toContain("token@");
  });

  it("reports a lockfile out of sync with its manifest once, listing each dependency", async () => {
    const lock = {
      name: "app",
      lockfileVersion: 3,
      packages: {
        "": { name: "app", dependencies: { express: "^4.18.0", lodash: "^4.17.0" } },
        "node_modules/express": { version: "4.18.2" },
        "node_modules/lodash": { version: "4.17.15" },
      },
    };
    const findings = await runCheckOn(lockfilesCheck, {
      "package.json": JSON.stringify({ name: "app", dependencies: { express: "^4.19.0", lodash: "^4.17.21" } }, null, 2),
      "package-lock.json": JSON.stringify(lock),
    });
    const outOfSync = findings.filter((f) => f.ruleId === rules.outOfSync.id);
    expect(outOfSync).toHaveLength(1);
    expect(outOfSync[0]!.message).toMatch(/^The lockfile disagrees with package.json on 2 dependencies: .*express.*; .*lodash/);
    expect(outOfSync[0]!.related).toHaveLength(1);
  });

  it("is one of the dependency-hygiene item's checks", () => {
    expect(checksByItem(CHECKS).get("operations.dependency-hygiene")).toContain(lockfilesCheck.id);
  });
});
