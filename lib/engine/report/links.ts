// Links from a report to the scanned files on GitHub, pinned to the scanned commit.

/**
 * `<repository web URL>/blob/<sha>/<path>#L<line>` where the source is on GitHub; null otherwise. Finding paths are
 * relative to the scanned subfolder, so it is put back in front.
 */
export function fileUrl(webUrl: string | undefined, commit: string | null, path: string, line?: number, subdirectory = ""): string | null {
  if (!webUrl || !commit || !/^https?:\/\//.test(webUrl)) return null;
  const full = subdirectory ? `${subdirectory}/${path}` : path;
  const encoded = full.split("/").map(encodeURIComponent).join("/");
  return `${webUrl}/blob/${commit}/${encoded}${line ? `#L${line}` : ""}`;
}
