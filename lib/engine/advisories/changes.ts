// What changed in a connector's dependencies between two scans: advisories that appeared and ones that went away.
import type { ReportVulnerability } from "../../core/report";

export interface AdvisoryChanges {
  added: ReportVulnerability[];
  resolved: ReportVulnerability[];
}

const key = (v: ReportVulnerability) => `${v.package}@${v.version} ${v.advisory}`;

export function advisoryChanges(before: readonly ReportVulnerability[], after: readonly ReportVulnerability[]): AdvisoryChanges {
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  const unique = (list: readonly ReportVulnerability[]) => [...new Map(list.map((v) => [key(v), v])).values()];
  return { added: unique(after.filter((v) => !had.has(key(v)))), resolved: unique(before.filter((v) => !has.has(key(v)))) };
}
