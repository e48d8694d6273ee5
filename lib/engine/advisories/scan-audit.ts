// The dependency audit as a stage of the scan: every lockfile read once, every locked package asked about once,
// before any check runs. It produces the report's `dependencies` block and says plainly when it could not decide
// (no source, source down, unreadable lockfiles, dependencies no lockfile pins): the dependency items then stay
// unknown, never pass.
import type { ReportDependencies } from "@/lib/core/report";
import type { Facts } from "../facts/container";
import { readLockfiles, type LockfileFacts } from "../parse/lockfiles";
import { auditLockfiles, type AuditedVulnerability } from "./audit";
import type { DependencyServices } from "./services";

export interface DependencyAudit {
  dependencies: Omit<ReportDependencies, "vulnerabilities"> & { vulnerabilities: AuditedVulnerability[] };
  lockfiles: LockfileFacts;
  status: "ok" | "unavailable";
  /** Why the audit could not decide, one reason each. */
  gaps: string[];
  registryRequests: number;
  advisoryRequests: number;
}

export async function auditDependencies(facts: Facts, services: DependencyServices | undefined, signal: AbortSignal): Promise<DependencyAudit> {
  const found = readLockfiles(facts);
  const unreadable = found.unparseable.map((u) => ({ path: u.path, reason: u.reason }));
  if (!services) {
    const error = "no advisory source was given to this scan";
    return {
      dependencies: {
        lockfiles: found.lockfiles.map((lf) => ({ path: lf.path, format: lf.format, packages: lf.packages.length })),
        vulnerabilities: [],
        watched: [],
        advisorySource: { name: "none", status: "unavailable", fetchedAt: null, error },
        ...(unreadable.length > 0 ? { unreadable } : {}),
      },
      lockfiles: found,
      status: "unavailable",
      gaps: [error],
      registryRequests: 0,
      advisoryRequests: 0,
    };
  }
  const audit = await auditLockfiles(found.lockfiles, services, signal);
  const dependencies = { ...audit.dependencies, ...(unreadable.length > 0 ? { unreadable } : {}) };
  // Fail closed: an answer about some lockfiles is not an answer about all of them.
  const gaps: string[] = [];
  const source = audit.dependencies.advisorySource;
  if (source.status !== "ok") gaps.push(`advisories unavailable from ${source.name}: ${source.error ?? "no reason given"}`);
  for (const u of unreadable) gaps.push(`${u.path} could not be read (${u.reason})`);
  const unlocked = found.hygiene.filter((h) => h.kind === "no-lockfile").map((h) => h.path);
  if (unlocked.length > 0) gaps.push(`no lockfile pins ${unlocked.slice(0, 3).join(", ")}${unlocked.length > 3 ? ` and ${unlocked.length - 3} more` : ""}`);
  return {
    dependencies,
    lockfiles: found,
    status: gaps.length > 0 ? "unavailable" : "ok",
    gaps,
    registryRequests: audit.registryRequests,
    advisoryRequests: audit.advisoryRequests,
  };
}
