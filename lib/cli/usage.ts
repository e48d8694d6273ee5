// What the CLI says about itself: its version, its usage, and the error that prints them.
import pkg from "../../package.json";
import type { z } from "zod";

export const VERSION: string = pkg.version;

export const USAGE = `Usage:
  launch-review scan <source> [--ref R] [--subdir P] [--format json|md|sarif] [--out FILE]
                     [--fail-on critical|high|moderate|low] [--quiet] [--no-cache]
                     [--baseline REPORT.json | --since REF]
                     [--advisories npm|github|offline|none] [--offline-advisories DIR]
  launch-review submission [<source>] [--subdir P] [--ref R] [--out chatgpt-app-submission.v1.json]
  launch-review report <report.json> [--format md|sarif|json] [--out FILE]
  launch-review tools <url> [--token T] [--source DIR] [--subdir P] [--format text|json] [--timeout MS]
  launch-review serve [--port N] [--no-worker]
  launch-review worker [--concurrency N]
  launch-review user create --email E [--name N] [--admin] [--team T --role R] [--password-stdin]
  launch-review audit verify
  launch-review keys rotate [--new-secret-stdin]
  launch-review --version | --help

<source> is a local folder, owner/repo, github:owner/repo, https://github.com/owner/repo[/tree/ref/subdir], or a
published package npm:name@version (fetched from the configured npm registry, checked against its integrity).
GitHub sources read GITHUB_TOKEN (optional; a fine-grained token with read-only Contents on the repository) and
GITHUB_API_URL (default https://api.github.com; GitHub Enterprise: https://HOST/api/v3).
Advisory answers and packuments are cached in $XDG_CACHE_HOME/launch-review (default ~/.cache/launch-review);
--no-cache asks the source every time. The scan writes nothing else but --out.
A launch-review.yml at the scanned root may skip paths, add watched packages and ignore findings (rule or
fingerprint, optional path glob, reason, expiry date); the report lists what was ignored and any expired ignore.
--baseline (an earlier JSON report) or --since (a GitHub ref scanned first) counts only new findings against --fail-on.
Exit codes: 0 no findings at or above --fail-on (default high); 1 findings at or above it; 2 usage or source error.
serve/worker: on PostgreSQL (DATABASE_URL=postgres://…) scans are jobs any number of worker processes take;
serve --no-worker serves pages only. On SQLite (the default) the app's own process runs the scans.
tools: lists what a running MCP server serves (Streamable HTTP, then SSE) and, with --source, compares it with the
code; exit 1 when they differ. The token may also come from LAUNCH_REVIEW_LIVE_TOKEN.`;

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** The parsed flags, checked by their schema; whatever is wrong with them becomes one usage error. */
export function checkedFlags<S extends z.ZodType>(schema: S, values: unknown): z.output<S> {
  const flags = schema.safeParse(values);
  if (!flags.success) throw new UsageError(flags.error.issues.map((i) => i.message).join("; "));
  return flags.data;
}

/** Node's parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed options. */
export function isUsageError(error: unknown): error is Error {
  return error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
}
