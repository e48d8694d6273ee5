// Pull-request mode: a report compared with an earlier one (a baseline file, or a scan of the base ref). Findings are
// matched by fingerprint, which stays stable when lines move, so only what is new counts against --fail-on.
import { z } from "zod";
import type { ScanReport } from "@/lib/core/report";
import { AppError } from "@/lib/core/errors";

const BaselineReport = z.object({
  schemaVersion: z.literal(1),
  findings: z.array(z.object({ fingerprint: z.string().min(1).max(200) }).passthrough()).max(200_000),
});

const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/** The fingerprints of a report given as a baseline; a clear error when it isn't one. */
export function baselineFingerprints(text: string, name: string): Set<string> {
  if (text.length > MAX_BASELINE_BYTES) throw new AppError("invalid:baseline", `The baseline ${name} is larger than 64 MB.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("invalid:baseline", `The baseline ${name} is not JSON: give a report written with --format json.`);
  }
  const parsed = BaselineReport.safeParse(json);
  if (!parsed.success) throw new AppError("invalid:baseline", `The baseline ${name} is not a Launch Review JSON report (schemaVersion 1).`);
  return new Set(parsed.data.findings.map((f) => f.fingerprint));
}

/** Marks each finding new or unchanged against the baseline, and counts what was fixed since. */
export function compareWithBaseline(report: ScanReport, baseline: ReadonlySet<string>, source: string): ScanReport {
  const findings = report.findings.map((f) => ({ ...f, baselineState: baseline.has(f.fingerprint) ? ("unchanged" as const) : ("new" as const) }));
  const current = new Set(findings.map((f) => f.fingerprint));
  const fresh = findings.filter((f) => f.baselineState === "new").length;
  return {
    ...report,
    findings,
    baseline: { source, new: fresh, unchanged: findings.length - fresh, fixed: [...baseline].filter((fp) => !current.has(fp)).length },
  };
}
