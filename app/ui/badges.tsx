import type { Severity } from "@/lib/core/types";

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge ${severity}`}>{severity}</span>;
}

const STATUS_LABELS: Record<string, string> = {
  "needs-attestation": "needs attestation",
};

/** Scan statuses and checklist item statuses share one look. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{STATUS_LABELS[status] ?? status}</span>;
}
