// What a rescan found compared with the scan before it: used by the connector page to say "no new commits".
export interface ScanHistoryEntry {
  id: number;
  status: string;
  commit: string | null;
}

/**
 * When the newest succeeded scan pinned the same commit as the succeeded scan before it, the commit and that earlier
 * scan's id; otherwise null. `scans` is newest first, as the connector page lists them.
 */
export function unchangedCommit(scans: readonly ScanHistoryEntry[]): { commit: string; previousScanId: number } | null {
  const succeeded = scans.filter((s) => s.status === "succeeded");
  const [latest, previous] = succeeded;
  if (!latest?.commit || !previous?.commit || latest.commit !== previous.commit) return null;
  return { commit: latest.commit, previousScanId: previous.id };
}
