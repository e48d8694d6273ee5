import { showHidden } from "@/lib/engine/unicode";

/**
 * A name someone typed (a connector's, a webhook's), with hidden characters made visible the way the Tools tab shows
 * them: a right-to-left override or a zero-width space appears as ⟦U+202E⟧, never reorders or hides the text around it.
 */
export function Name({ value }: { value: string }) {
  const shown = showHidden(value);
  return shown === value ? <>{value}</> : <span data-hidden-characters="true">{shown}</span>;
}

/** The same, for attributes and titles (plain strings). */
export function visibleName(value: string): string {
  return showHidden(value);
}
