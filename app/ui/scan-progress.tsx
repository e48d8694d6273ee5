"use client";
// Live progress of a queued or running scan: polls the scan's status route and refreshes the page when it ends.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ScanProgress } from "@/lib/core/types";

export interface ScanStatusPayload {
  id: number;
  status: "queued" | "running" | "succeeded" | "failed";
  progress: ScanProgress | null;
  error: string | null;
}

export function ScanProgressPanel({ initial }: { initial: ScanStatusPayload }) {
  const router = useRouter();
  const [scan, setScan] = useState(initial);
  const [offline, setOffline] = useState(false);

  useEffect(() => {
    if (scan.status === "succeeded" || scan.status === "failed") {
      router.refresh();
      return;
    }
    const poll = async () => {
      try {
        const res = await fetch(`/api/v1/scans/${scan.id}`, { cache: "no-store" });
        if (!res.ok) throw new Error(String(res.status));
        setScan((await res.json()) as ScanStatusPayload);
        setOffline(false);
      } catch {
        setOffline(true);
        setScan((s) => ({ ...s })); // schedule another attempt
      }
    };
    // poll catches its own failures (it shows "offline" and tries again): nothing is left to handle here.
    const timer = setTimeout(() => void poll(), 1000);
    return () => clearTimeout(timer);
  }, [scan, router]);

  const p = scan.progress;
  const fraction = p?.total ? Math.min(1, (p.done ?? 0) / p.total) : scan.status === "queued" ? 0 : 0.1;
  return (
    <div className="panel progress" role="status" aria-live="polite" data-testid="scan-progress">
      <strong>{scan.status === "queued" ? "Scan queued" : "Scan running"}</strong>
      <progress className="bar" value={fraction} max={1} aria-label="Scan progress" />
      <span>
        {p?.message ?? "Waiting"}
        {p?.total !== undefined ? ` (${Math.min((p.done ?? 0) + 1, p.total)} of ${p.total} checks)` : ""}
      </span>
      <span className="subtle">
        {p?.files !== undefined ? `${p.files.toLocaleString("en-US")} files read` : ""}
        {p?.findings !== undefined ? ` · ${p.findings} findings so far` : ""}
        {offline ? " · reconnecting…" : ""}
      </span>
    </div>
  );
}
