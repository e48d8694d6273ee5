// Page links under a long list: previous/next, the first and last page, and the pages around the current one. Plain
// anchors: the links differ only in their query string, and a client Link per page would add to the payload.

/** The page numbers to link, with null where a run of pages is left out ("…"). */
export function pageWindow(page: number, pageCount: number, around = 2): Array<number | null> {
  const shown = new Set([1, pageCount]);
  for (let p = page - around; p <= page + around; p++) if (p >= 1 && p <= pageCount) shown.add(p);
  const sorted = [...shown].sort((a, b) => a - b);
  return sorted.flatMap((p, i) => (i > 0 && p - sorted[i - 1]! > 1 ? [null, p] : [p]));
}

export function Pagination({
  page,
  pageCount,
  href,
  label,
}: {
  page: number;
  pageCount: number;
  href: (page: number) => string;
  label: string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? (
        <a href={href(Math.min(page - 1, pageCount))} rel="prev">
          ← Previous
        </a>
      ) : (
        <span className="subtle">← Previous</span>
      )}
      {pageWindow(page, pageCount).map((p, i) =>
        p === null ? (
          <span key={`gap-${i}`} className="subtle">
            …
          </span>
        ) : p === page ? (
          <strong key={p} aria-current="page">
            {p}
          </strong>
        ) : (
          <a key={p} href={href(p)}>
            {p}
          </a>
        ),
      )}
      {page < pageCount ? (
        <a href={href(page + 1)} rel="next">
          Next →
        </a>
      ) : (
        <span className="subtle">Next →</span>
      )}
    </nav>
  );
}
