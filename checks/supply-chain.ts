// Dependency updates are automated: a Dependabot or Renovate configuration that covers the repository's ecosystems.
// (Lockfiles and install scripts are checked by the dependency audit.)
import path from "node:path";
import { isMap, isScalar, isSeq, parseDocument } from "yaml";
import { manifests, type Manifest } from "@/lib/engine/parse/manifests";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "operations.dependency-hygiene";

export const rules = {
  noBot: defineRule({
    id: "supply/no-update-bot",
    severity: "moderate",
    title: "No Dependabot or Renovate configuration",
    rationale:
      "Without an update bot, patched versions of React, the MCP SDK and build tooling arrive only when someone remembers; known vulnerabilities stay in production for months.",
    remediation:
      "Add .github/dependabot.yml with an entry per ecosystem (npm, pip, github-actions) and a weekly schedule, or a renovate.json; group minor updates to keep the noise down.",
    item: ITEM,
  }),
  ecosystemNotCovered: defineRule({
    id: "supply/update-bot-misses-ecosystem",
    severity: "low",
    title: "Dependabot doesn't cover one of the repository's ecosystems",
    rationale: "Dependabot only proposes updates for the package ecosystems listed in its configuration; the others silently fall behind.",
    remediation: "Add an `updates` entry with the missing `package-ecosystem` (and its `directory`).",
    item: ITEM,
  }),
};

const DEPENDABOT = /(?:^|\/)\.github\/dependabot\.ya?ml$/;
const RENOVATE = /(?:^|\/)(?:\.github\/|\.gitlab\/)?(?:renovate\.json5?|\.renovaterc(?:\.json5?)?)$/;
// Dependabot ecosystem names that cover each manifest kind.
const COVERS: Record<Manifest["ecosystem"], string[]> = { npm: ["npm"], pip: ["pip", "uv", "pipenv", "poetry"] };

export const supplyChainCheck: Check = {
  id: "supply-chain",
  title: "Supply chain: automated dependency updates",
  section: "operations",
  rules: Object.values(rules),
  async run({ snapshot, facts }) {
    const found = manifests(facts);
    if (found.length === 0) return { status: "ok", findings: [] };
    const findings: Finding[] = [];
    const renovate = snapshot.find((p) => RENOVATE.test(p)).length > 0 || found.some((m) => m.json && "renovate" in m.json);
    const dependabotPath = snapshot.find((p) => DEPENDABOT.test(p))[0];

    if (!renovate && !dependabotPath) {
      const first = [...found].sort((a, b) => a.path.split("/").length - b.path.split("/").length || a.path.localeCompare(b.path))[0]!;
      findings.push(
        codeFinding(rules.noBot, {
          path: first.path,
          line: 1,
          text: snapshot.text(first.path) ?? "",
          message: `The repository declares ${describeEcosystems(found)} dependencies, and has no .github/dependabot.yml, renovate.json or .renovaterc.`,
          evidence:
            'searched: .github/dependabot.yml, renovate.json(5), .renovaterc(.json), .github/renovate.json, package.json "renovate"',
          subject: "repository",
        }),
      );
    } else if (dependabotPath && !renovate) {
      const text = snapshot.text(dependabotPath) ?? "";
      const covered = dependabotEcosystems(text);
      if (covered) {
        for (const ecosystem of new Set(found.map((m) => m.ecosystem))) {
          if (COVERS[ecosystem].some((e) => covered.has(e))) continue;
          const manifest = found.find((m) => m.ecosystem === ecosystem)!;
          findings.push(
            codeFinding(rules.ecosystemNotCovered, {
              path: dependabotPath,
              line: 1,
              text,
              message: `${path.posix.basename(manifest.path)} (${ecosystem}) is not covered: the configuration lists ${[...covered].join(", ") || "no ecosystems"}.`,
              evidence: `package-ecosystem: ${[...covered].join(", ") || "(none)"}`,
              subject: ecosystem,
            }),
          );
        }
      }
    }
    return finish(findings);
  },
};

function describeEcosystems(found: readonly Manifest[]): string {
  const names = [...new Set(found.map((m) => (m.ecosystem === "npm" ? "npm" : "Python")))];
  return names.join(" and ");
}

/** The `package-ecosystem` values of a dependabot.yml, or null when it can't be read. */
function dependabotEcosystems(text: string): Set<string> | null {
  if (text.length > 256 * 1024) return null;
  try {
    const doc = parseDocument(text, { strict: false, prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
    const updates = doc.contents.get("updates", true);
    const out = new Set<string>();
    if (isSeq(updates)) {
      for (const u of updates.items) {
        const e = isMap(u) ? u.get("package-ecosystem", true) : undefined;
        if (isScalar(e)) out.add(String(e.value).toLowerCase());
      }
    }
    return out;
  } catch {
    return null;
  }
}
