// Which queued scan may take a free slot: no connector and no host may hold every slot, so one slow source (a hanging
// GitHub, a download that drips a byte a second) can't starve the rest. Pure functions over plain data, so a worker
// pool or pg-boss can carry them over unchanged.

/** A scan as the scheduler sees it. */
export interface SlotJob {
  scanId: number;
  connectorId: number;
  /** Where the scan reads from: "local" for a folder on this machine, else the source's host ("api.github.com"). */
  host: string;
}

export interface SlotCaps {
  /** Scans at once. */
  total: number;
  /** Scans of one connector at once. */
  perConnector: number;
  /** Scans reading from one host at once: one slot fewer than the total, so another host always has one. */
  perHost: number;
}

export function slotCaps(concurrency: number): SlotCaps {
  const total = Math.max(1, Math.floor(concurrency));
  return { total, perConnector: 1, perHost: Math.max(1, total - 1) };
}

/** The host a source reads from, for the per-host cap. */
export function sourceHost(source: { kind: "local" } | { kind: "github"; apiUrl: string } | { kind: "npm"; registry: string }): string {
  if (source.kind === "local") return "local";
  try {
    return new URL(source.kind === "npm" ? source.registry : source.apiUrl).host.toLowerCase();
  } catch {
    return source.kind;
  }
}

/**
 * The index in `pending` (oldest first) of the first scan that may start now beside `running`, or -1. A scan whose
 * connector or host is at its cap waits without holding up the scans behind it.
 */
export function nextRunnable(pending: readonly SlotJob[], running: readonly SlotJob[], caps: SlotCaps): number {
  if (running.length >= caps.total) return -1;
  const perConnector = new Map<number, number>();
  const perHost = new Map<string, number>();
  for (const r of running) {
    perConnector.set(r.connectorId, (perConnector.get(r.connectorId) ?? 0) + 1);
    perHost.set(r.host, (perHost.get(r.host) ?? 0) + 1);
  }
  return pending.findIndex(
    (job) => (perConnector.get(job.connectorId) ?? 0) < caps.perConnector && (perHost.get(job.host) ?? 0) < caps.perHost,
  );
}
