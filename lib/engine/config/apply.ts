// Applying launch-review.yml to a scan: skips come off the snapshot before anything is read, watch-list additions
// join the dependency audit, and ignores cover findings after the checks ran (taken out of the report by the CLI,
// only proposed in the app, where a reviewer decides).
import type { ReportFinding, ReportRepoConfig, ScanReport } from "@/lib/core/report";
import type { Snapshot } from "../snapshot";
import { ignoreMatches, readRepoConfig, skipMatcher, splitIgnores } from "./repo-config";

/** Reads the config, takes skipped files off the snapshot, and says which ignores are in force on `today`. */
export function prepareRepoConfig(snapshot: Snapshot, today: string): { snapshot: Snapshot; repoConfig: ReportRepoConfig } {
  const read = readRepoConfig(snapshot);
  if (read.status !== "ok") {
    return {
      snapshot,
      repoConfig: { path: read.status === "invalid" ? read.path : null, status: read.status, error: read.status === "invalid" ? read.error : null, skipped: 0, watch: [], ignores: [], applied: false },
    };
  }
  const match = skipMatcher(read.config);
  const filtered = read.config.skip.length > 0 ? snapshot.without((p) => match(p)?.reason ?? null) : snapshot;
  const { active, expired } = splitIgnores(read.config, today);
  const ignores = [...active.map((i) => ({ i, state: "active" as const })), ...expired.map((i) => ({ i, state: "expired" as const }))].map(({ i, state }) => ({
    rule: i.rule ?? null,
    fingerprint: i.fingerprint ?? null,
    path: i.path ?? null,
    reason: i.reason,
    expires: i.expires,
    state,
    findings: [] as string[],
  }));
  return {
    snapshot: filtered,
    repoConfig: { path: read.path, status: "ok", error: null, skipped: snapshot.fileCount - filtered.fileCount, watch: read.config.watch, ignores, applied: false },
  };
}

/**
 * Matches findings to the active ignores. With `apply`, covered findings leave `findings` for `ignored`; without,
 * they stay (the app shows the ignores as proposed waivers). Expired ignores never cover anything.
 */
export function resolveIgnores(
  repoConfig: ReportRepoConfig,
  findings: ReportFinding[],
  apply: boolean,
): { findings: ReportFinding[]; ignored: NonNullable<ScanReport["ignored"]>; repoConfig: ReportRepoConfig } {
  const active = repoConfig.ignores.filter((i) => i.state === "active");
  if (active.length === 0) return { findings, ignored: [], repoConfig: { ...repoConfig, applied: apply } };
  const kept: ReportFinding[] = [];
  const ignored: NonNullable<ScanReport["ignored"]> = [];
  const ignores = repoConfig.ignores.map((i) => ({ ...i, findings: [] as string[] }));
  for (const f of findings) {
    const ignore = ignores.find(
      (i) => i.state === "active" && ignoreMatches({ rule: i.rule ?? undefined, fingerprint: i.fingerprint ?? undefined, path: i.path ?? undefined, reason: i.reason, expires: i.expires }, f),
    );
    if (!ignore) {
      kept.push(f);
      continue;
    }
    ignore.findings.push(f.fingerprint);
    if (apply) ignored.push({ ...f, ignoredBecause: { reason: ignore.reason, expires: ignore.expires } });
    else kept.push(f);
  }
  return { findings: kept, ignored, repoConfig: { ...repoConfig, ignores, applied: apply } };
}
