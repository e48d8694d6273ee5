// Dependency updates are automated: a Dependabot or Renovate configuration that covers the repository's ecosystems.
// (Lockfiles and install scripts are checked by the dependency audit.)
import path from "node:path";
import type { Manifest } from "@/lib/engine/parse/manifests";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";
import { compareText } from "@/lib/core/compare";

const ITEM = "operations.dependency-hygiene";
const TAGS = { owasp: "MCP04:2025 Software Supply Chain Attacks & Dependency Tampering", cwe: ["CWE-1104"] } as const;

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
    tags: TAGS,
  }),
  ecosystemNotCovered: defineRule({
    id: "supply/update-bot-misses-ecosystem",
    severity: "low",
    title: "Dependabot doesn't cover one of the repository's ecosystems",
    rationale: "Dependabot only proposes updates for the package ecosystems listed in its configuration; the others silently fall behind.",
    remediation: "Add an `updates` entry with the missing `package-ecosystem` (and its `directory`).",
    item: ITEM,
    tags: TAGS,
  }),
};

// Dependabot ecosystem names that cover each manifest kind.
const COVERS: Record<Manifest["ecosystem"], string[]> = { npm: ["npm"], pip: ["pip", "uv", "pipenv", "poetry"] };

export const supplyChainCheck: Check = {
  id: "supply-chain",
  title: "Supply chain: automated dependency updates",
  section: "operations",
  rules: Object.values(rules),
  run({ snapshot, facts }) {
    const found = facts.manifests;
    if (found.length === 0) return { status: "ok", findings: [] };
    const findings: Finding[] = [];
    const { dependabot, renovate } = facts.updateBots;

    if (renovate.length === 0 && !dependabot) {
      const first = [...found].sort((a, b) => a.path.split("/").length - b.path.split("/").length || compareText(a.path, b.path))[0]!;
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
    } else if (dependabot?.ecosystems && renovate.length === 0) {
      const covered = dependabot.ecosystems;
      for (const ecosystem of new Set(found.map((m) => m.ecosystem))) {
        if (COVERS[ecosystem].some((e) => covered.includes(e))) continue;
        const manifest = found.find((m) => m.ecosystem === ecosystem)!;
        findings.push(
          codeFinding(rules.ecosystemNotCovered, {
            path: dependabot.path,
            line: 1,
            text: snapshot.text(dependabot.path) ?? "",
            message: `${path.posix.basename(manifest.path)} (${ecosystem}) is not covered: the configuration lists ${covered.join(", ") || "no ecosystems"}.`,
            evidence: `package-ecosystem: ${covered.join(", ") || "(none)"}`,
            subject: ecosystem,
          }),
        );
      }
    }
    return finish(findings);
  },
};

function describeEcosystems(found: readonly Manifest[]): string {
  const names = [...new Set(found.map((m) => (m.ecosystem === "npm" ? "npm" : "Python")))];
  return names.join(" and ");
}
