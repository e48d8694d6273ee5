// The dependency check's services pointed at the registry stub, and a runner that returns everything it produced.
import { DEFAULT_WATCH_LIST } from "@/lib/engine/advisories/audit";
import { NpmBulkSource } from "@/lib/engine/advisories/npm-bulk";
import { createAdvisoryService } from "@/lib/engine/advisories/service";
import { createRegistryService } from "@/lib/engine/registry";
import { memoryDependencyCache } from "@/lib/engine/cache/memory";
import type { ReportDependencies } from "@/lib/core/report";
import { dependenciesCheck } from "@/checks/dependencies";
import type { DependencyServices } from "@/lib/engine/advisories/services";
import type { CheckOutcome, ScanCounters } from "@/checks/types";
import type { Snapshot } from "@/lib/engine/snapshot";
import { checkContext } from "./rules";

export function stubDependencyServices(registryUrl: string, watchList: readonly string[] = DEFAULT_WATCH_LIST): DependencyServices {
  return {
    advisories: createAdvisoryService(new NpmBulkSource(registryUrl, 5_000), { cache: memoryDependencyCache(), cacheTtlMs: 0 }),
    registry: createRegistryService({ cache: memoryDependencyCache(), npmRegistry: registryUrl, pypiUrl: registryUrl.replace(/\/$/, ""), timeoutMs: 5_000 }),
    watchList,
  };
}

export async function runDependencyCheck(
  snapshot: Snapshot,
  services: DependencyServices | undefined,
): Promise<{ outcome: CheckOutcome; deps: ReportDependencies; counters: Pick<ScanCounters, "registryRequests" | "advisoryRequests"> }> {
  const context = await checkContext(snapshot, { dependencies: services });
  try {
    const outcome = await dependenciesCheck.run(context);
    const { registryRequests, advisoryRequests } = context.audit;
    return { outcome, deps: context.audit.dependencies, counters: { registryRequests, advisoryRequests } };
  } finally {
    context.facts.dispose();
  }
}

/** "package advisory" pairs, sorted and unique: what parity with npm audit compares. */
export function vulnerabilityPairs(deps: ReportDependencies | undefined): string[] {
  return [...new Set((deps?.vulnerabilities ?? []).map((v) => `${v.package} ${v.advisory}`))].sort();
}
