// The dependency check's services pointed at the registry stub, and a runner that returns everything it produced.
import { DEFAULT_WATCH_LIST } from "@/lib/advisories/audit";
import { NpmBulkSource } from "@/lib/advisories/npm-bulk";
import { createAdvisoryService } from "@/lib/advisories/service";
import { createRegistryService } from "@/lib/registry";
import type { ReportDependencies } from "@/lib/report/types";
import { dependenciesCheck, type DependencyCheckServices } from "@/checks/dependencies";
import type { CheckOutcome, ScanCounters } from "@/checks/types";
import type { Snapshot } from "@/lib/snapshot";
import { checkContext } from "./rules";

export function stubDependencyServices(registryUrl: string, watchList: readonly string[] = DEFAULT_WATCH_LIST): DependencyCheckServices {
  return {
    advisories: createAdvisoryService(new NpmBulkSource(registryUrl, 5_000), { cacheTtlMs: 0 }),
    registry: createRegistryService({ npmRegistry: registryUrl, pypiUrl: registryUrl.replace(/\/$/, ""), timeoutMs: 5_000 }),
    watchList,
  };
}

export async function runDependencyCheck(
  snapshot: Snapshot,
  services: Partial<DependencyCheckServices>,
): Promise<{ outcome: CheckOutcome; deps: ReportDependencies | undefined; counters: ScanCounters }> {
  const context = checkContext(snapshot, services);
  try {
    const outcome = await dependenciesCheck.run(context);
    return { outcome, deps: outcome.facts?.dependencies as ReportDependencies | undefined, counters: context.counters };
  } finally {
    context.facts.dispose();
  }
}

/** "package advisory" pairs, sorted and unique: what parity with npm audit compares. */
export function vulnerabilityPairs(deps: ReportDependencies | undefined): string[] {
  return [...new Set((deps?.vulnerabilities ?? []).map((v) => `${v.package} ${v.advisory}`))].sort();
}
