// Formatting shared by pages. Dates render in UTC so server output doesn't depend on the host's time zone.

export function formatDateTime(value: Date | null | undefined): string {
  if (!value) return "—";
  return `${value.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : "—";
}
