import { formatDateTime } from "./format";

export function Time({ value }: { value: Date | null | undefined }) {
  if (!value) return <span className="subtle">—</span>;
  return <time dateTime={value.toISOString()}>{formatDateTime(value)}</time>;
}
