// Declared dependencies by ecosystem, read from package.json, pyproject.toml and requirements files (names only;
// versions and lockfiles are the dependency audit's business).
import path from "node:path";
import type { Facts } from "../facts/container";
import { isTestOrFixturePath } from "../facts/roles";
import { compareText } from "@/lib/core/compare";

export interface Manifest {
  path: string;
  ecosystem: "npm" | "pip";
  /** Lower-case package names declared in the file. */
  packages: ReadonlySet<string>;
  /** The parsed package.json, for keys like "renovate". */
  json?: Record<string, unknown>;
}

const MAX_MANIFEST_BYTES = 1024 * 1024;

export function manifests(facts: Facts): readonly Manifest[] {
  return facts.memo("code:manifests", (snapshot) => {
    const out: Manifest[] = [];
    for (const p of snapshot.paths()) {
      if (isTestOrFixturePath(p)) continue;
      const name = path.posix.basename(p).toLowerCase();
      const isPackageJson = name === "package.json";
      const isPython =
        name === "pyproject.toml" ||
        name === "pipfile" ||
        name === "setup.py" ||
        name === "setup.cfg" ||
        (name.length < 100 && /^requirements[\w.-]*\.(?:txt|in)$/.test(name));
      if (!isPackageJson && !isPython) continue;
      const text = snapshot.text(p);
      if (text === null || text.length > MAX_MANIFEST_BYTES) continue;
      if (isPackageJson) {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          continue;
        }
        if (!json || typeof json !== "object" || Array.isArray(json)) continue;
        const record = json as Record<string, unknown>;
        const packages = new Set<string>();
        for (const key of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"]) {
          const deps = record[key];
          if (deps && typeof deps === "object") for (const dep of Object.keys(deps)) packages.add(dep.toLowerCase());
        }
        out.push({ path: p, ecosystem: "npm", packages, json: record });
      } else {
        out.push({ path: p, ecosystem: "pip", packages: pythonRequirementNames(name, text) });
      }
    }
    // Shallowest first: the repository's own manifest before those of sub-packages.
    return out.sort((a, b) => a.path.split("/").length - b.path.split("/").length || compareText(a.path, b.path));
  });
}

/**
 * Requirement names, read line by line (no TOML parser): in requirements files every line starts with one
 * (`sentry-sdk[fastapi]>=2`); in pyproject.toml, setup.py and setup.cfg they are quoted strings (`"httpx>=0.27",`)
 * or, in Poetry and Pipfile dependency tables, the keys (`fastmcp = "^2"`).
 */
function pythonRequirementNames(fileName: string, text: string): Set<string> {
  const names = new Set<string>();
  const requirementsFile = fileName.startsWith("requirements");
  let inDependencyTable = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inDependencyTable = /dependencies\]$|^\[(?:dev-)?packages\]$/.test(line.slice(0, 200));
      continue;
    }
    if (line === "" || line.startsWith("#") || line.startsWith("-")) continue;
    let candidate: string | null = null;
    if (requirementsFile) candidate = line;
    else if (line.startsWith('"') || line.startsWith("'")) candidate = line.slice(1);
    else if (inDependencyTable && line.includes("=")) candidate = line;
    if (candidate === null) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,100})/.exec(candidate);
    if (m) names.add(m[1]!.toLowerCase().replace(/_/g, "-"));
  }
  return names;
}
