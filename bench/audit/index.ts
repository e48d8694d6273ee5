// A generated 2,000-package npm lockfile audited two ways against the same local registry stub: Launch Review's
// lockfile reader + advisory matching (and the whole dependencies check, with fixes and patch status), and the real
// `npm audit --json`. Both must find the same (package, advisory) pairs; prints times, registry requests, and
// npm audit's time as a multiple of ours. npm's figure includes starting the npm process, as a user would run it.
import fs from "node:fs";
import semver from "semver";
import { createTestDb, setDb } from "@/db/client";
import { auditLockfiles } from "@/lib/engine/advisories/audit";
import { Facts } from "@/lib/engine/facts/container";
import { readLockfiles } from "@/lib/engine/parse/lockfiles";
import { runDependencyCheck, stubDependencyServices, vulnerabilityPairs } from "@/test/support/dependency-services";
import { packumentsFromLockfile, startFakeRegistry, type BulkAdvisory } from "@/test/support/fake-registry";
import { generateNpmLockfile } from "@/test/support/generated-lockfile";
import { npmAuditFolder, npmAuditPairsIn } from "@/test/support/npm-audit";
import { snapshotOf } from "@/test/support/rules";
import { ms, time } from "../support/measure";

const PACKAGES = 2_000;
const ADVISED = 8;

/** Advisories on a spread of locked packages (hoisted and nested), each fixed in the next patch release. */
function advisoriesFor(packages: Array<{ name: string; version: string }>) {
  const advisories: Record<string, BulkAdvisory[]> = {};
  const fixes: Array<{ name: string; version: string }> = [];
  const step = Math.floor(packages.length / ADVISED);
  for (let i = 0; i < ADVISED; i++) {
    const p = packages[i * step + 7]!;
    const fixed = semver.inc(p.version, "patch")!;
    // GHSA ids use a restricted alphabet; ours accepts only well-formed ones.
    const c = "23456789cfghjmpqrvwx"[i]!;
    const id = `GHSA-${c}q${c}v-m${c}x${c}-7c3p`;
    advisories[p.name] = [
      ...(advisories[p.name] ?? []),
      {
        id: 1_000 + i,
        url: `https://github.com/advisories/${id}`,
        title: `Bench advisory ${i} in ${p.name}`,
        severity: (["critical", "high", "moderate", "low"] as const)[i % 4]!,
        vulnerable_versions: `<${fixed}`,
      },
    ];
    fixes.push({ name: p.name, version: fixed });
  }
  return { advisories, fixes };
}

export async function main(): Promise<void> {
  setDb(createTestDb());
  const generated = generateNpmLockfile(PACKAGES, 11);
  const { advisories, fixes } = advisoriesFor(generated.packages);
  const registry = await startFakeRegistry({
    advisories,
    packuments: packumentsFromLockfile(JSON.parse(generated.lockfile) as Parameters<typeof packumentsFromLockfile>[0], fixes),
  });
  const dir = npmAuditFolder(generated);
  try {
    const snapshot = snapshotOf({ "package.json": generated.packageJson, "package-lock.json": generated.lockfile });
    const services = stubDependencyServices(registry.url);
    const signal = new AbortController().signal;

    // Parse + match: read the lockfile (fresh facts each run, so nothing is memoised), one bulk request, semver.
    let locked = 0;
    let matched = 0;
    const bulkBefore = registry.bulkRequests.length;
    const parseMatch = await time(10, async () => {
      const facts = new Facts(snapshot);
      try {
        const { lockfiles } = readLockfiles(facts);
        locked = lockfiles[0]!.packages.length;
        const result = await auditLockfiles(lockfiles, { advisories: services.advisories, registry: null, watchList: [] }, signal);
        matched = result.dependencies.vulnerabilities.length;
      } finally {
        facts.dispose();
      }
    });
    const parseMatchRequests = (registry.bulkRequests.length - bulkBefore) / 10;

    // The whole dependencies check: also first fixed versions, the direct dependency's fix, patch status. Cold:
    // a fresh database each run, so every packument is fetched as on a first scan.
    let ours: string[] = [];
    let requests = 0;
    const check = await time(
      5,
      async () => {
        const { deps, counters } = await runDependencyCheck(snapshot, stubDependencyServices(registry.url));
        ours = vulnerabilityPairs(deps);
        requests = counters.registryRequests + counters.advisoryRequests;
      },
      () => setDb(createTestDb()),
    );

    let theirs: string[] = [];
    const bulk = registry.bulkRequests.length;
    const packuments = registry.packumentRequests.length;
    const npm = await time(5, async () => {
      theirs = await npmAuditPairsIn(dir, registry.url);
    });
    const npmRequests = (registry.bulkRequests.length - bulk + registry.packumentRequests.length - packuments) / 5;

    if (JSON.stringify(ours) !== JSON.stringify(theirs))
      throw new Error(`Launch Review and npm audit disagree:\n  ours: ${ours.join(", ")}\n  npm:  ${theirs.join(", ")}`);

    console.log(`lockfile: ${locked} packages, ${(generated.lockfile.length / 1024).toFixed(0)} KB; ${ADVISED} advisories on them`);
    console.log(
      `parse + match:     p50 ${ms(parseMatch.p50)}  p95 ${ms(parseMatch.p95)}  ${parseMatchRequests} registry request(s), ${matched} vulnerabilities`,
    );
    console.log(
      `dependencies check: p50 ${ms(check.p50)}  p95 ${ms(check.p95)}  ${requests} registry requests (bulk + packuments for fixes and patch status)`,
    );
    console.log(`npm audit --json:  p50 ${ms(npm.p50)}  p95 ${ms(npm.p95)}  ${npmRequests} registry requests`);
    console.log(`same (package, advisory) pairs: ${ours.length} = ${theirs.length}`);
    console.log(
      `ratio: npm audit takes ${(npm.p50 / parseMatch.p50).toFixed(1)}x our parse + match, ${(npm.p50 / check.p50).toFixed(1)}x our whole check`,
    );
  } finally {
    await registry.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
