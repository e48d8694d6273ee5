// A word diff of scanned text: insertions and deletions marked, hidden characters made visible.
import type { DiffPart } from "@/lib/tools/manifest-diff";
import { showHidden } from "@/lib/engine/unicode";

export function WordDiff({ parts, field }: { parts: readonly DiffPart[]; field?: string }) {
  return (
    <p className="word-diff" data-testid="word-diff" data-field={field}>
      {parts.map((p, i) =>
        p.added ? (
          <ins key={i}>{showHidden(p.value)}</ins>
        ) : p.removed ? (
          <del key={i}>{showHidden(p.value)}</del>
        ) : (
          <span key={i}>{showHidden(p.value)}</span>
        ),
      )}
    </p>
  );
}
