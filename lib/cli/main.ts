// launch-review: scan a connector from the command line, or serve the app.
// Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or source error.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/core/errors";
import { renderMarkdown } from "@/lib/engine/report/markdown";
import { renderSarif } from "@/lib/engine/report/sarif";
import type { ScanReport } from "@/lib/core/report";
import { severityRank } from "@/lib/core/types";
import { compareWithStatic, listLiveTools, type LiveComparison, type LiveListing } from "@/lib/live/live-tools";
import { runScan } from "@/lib/engine/scan";
import { staticToolsOf } from "@/lib/tools/static-manifest";
import { showHidden } from "@/lib/engine/unicode";
import { limitsFromEnv } from "@/lib/engine/snapshot";
import { assertHostMatchesApi, assertValidRef, parseSourceInput } from "@/lib/engine/sources/parse";
import { archiveLimitsFromEnv, type SourceSpec } from "@/lib/engine/sources/types";
import { verifyAuditChain } from "@/db/queries/audit";
import { rotateKeys } from "@/lib/crypto/rotate-keys";
import { DEFAULT_WATCH_LIST } from "@/lib/engine/advisories/audit";
import { ADVISORY_SOURCES, buildDependencyServices, type AdvisorySourceName } from "@/lib/engine/advisories/services";
import { npmRegistryUrl } from "@/lib/engine/advisories/npm-config";
import { defaultCacheDir, fileDependencyCache } from "@/lib/engine/cache/file";
import { memoryDependencyCache } from "@/lib/engine/cache/memory";
import { loadOsvFolder } from "@/lib/engine/advisories/osv";
import { serve } from "./serve";
import { userCommand } from "./users";

const USAGE = `Usage:
  launch-review scan <source> [--ref R] [--subdir P] [--format json|md|sarif] [--out FILE]
                     [--fail-on critical|high|moderate|low] [--quiet]
                     [--advisories npm|github|offline|none] [--offline-advisories DIR]
  launch-review tools <url> [--token T] [--source DIR] [--subdir P] [--format text|json] [--timeout MS]
  launch-review serve [--port N]
  launch-review user create --email E [--name N] [--admin] [--team T --role R] [--password-stdin]
  launch-review audit verify
  launch-review keys rotate [--new-secret-stdin]

<source> is a local folder, owner/repo, github:owner/repo, or https://github.com/owner/repo[/tree/ref/subdir].
GitHub sources read GITHUB_TOKEN (optional; a fine-grained token with read-only Contents on the repository) and
GITHUB_API_URL (default https://api.github.com; GitHub Enterprise: https://HOST/api/v3).
Exit codes: 0 no findings at or above --fail-on (default high); 1 findings at or above it; 2 usage or source error.
tools: lists what a running MCP server serves (Streamable HTTP, then SSE) and, with --source, compares it with the
code; exit 1 when they differ. The token may also come from LAUNCH_REVIEW_LIVE_TOKEN.`;

class UsageError extends Error {}

const ScanFlags = z.object({
  format: z.enum(["json", "md", "sarif"], { error: "--format must be json, md or sarif" }).default("json"),
  "fail-on": z
    .enum(["critical", "high", "moderate", "low"], { error: "--fail-on must be critical, high, moderate or low" })
    .default("high"),
  ref: z.string().min(1).optional(),
  subdir: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  quiet: z.boolean().default(false),
  advisories: z.enum(ADVISORY_SOURCES, { error: `--advisories must be one of ${ADVISORY_SOURCES.join(", ")}` }).optional(),
  "offline-advisories": z.string().min(1).optional(),
  "no-cache": z.boolean().default(false),
});

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "scan":
      return scanCommand(rest);
    case "serve":
      return serveCommand(rest);
    case "user":
      return userCommand(rest, (m) => new UsageError(m));
    case "audit":
      return auditCommand(rest);
    case "keys":
      return keysCommand(rest);
    case "tools":
      return toolsCommand(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

async function scanCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      "fail-on": { type: "string" },
      ref: { type: "string" },
      subdir: { type: "string" },
      out: { type: "string" },
      quiet: { type: "boolean" },
      advisories: { type: "string" },
      "offline-advisories": { type: "string" },
      "no-cache": { type: "boolean" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("scan takes exactly one source.");
  const flags = ScanFlags.safeParse(values);
  if (!flags.success) throw new UsageError(flags.error.issues.map((i) => i.message).join("; "));
  const opts = flags.data;

  const parsed = parseSourceInput(positionals[0]!, (v) => fs.existsSync(v));
  let spec: SourceSpec;
  if (parsed.kind === "local") {
    spec = { kind: "local", path: path.resolve(parsed.path), subdirectory: opts.subdir ?? "" };
  } else {
    assertHostMatchesApi(parsed, env().GITHUB_API_URL);
    spec = {
      kind: "github",
      repository: parsed.repository,
      ref: opts.ref ? assertValidRef(opts.ref) : parsed.ref,
      subdirectory: opts.subdir ?? parsed.subdirectory ?? "",
      token: process.env.GITHUB_TOKEN?.trim() || null,
      apiUrl: env().GITHUB_API_URL,
      tokenHint: "in GITHUB_TOKEN",
    };
  }

  const progress = progressPrinter(opts.quiet);
  const report = await runScan(spec, {
    limits: limitsFromEnv(env()),
    archiveLimits: archiveLimitsFromEnv(env()),
    onProgress: progress,
    services: { dependencies: cliDependencyServices(opts.advisories, opts["offline-advisories"], opts["no-cache"]) },
  });
  progress({ stage: "done", message: `Done: ${summaryLine(report)}` });

  const output =
    opts.format === "json"
      ? `${JSON.stringify(report, null, 2)}\n`
      : opts.format === "sarif"
        ? `${JSON.stringify(renderSarif(report), null, 2)}\n`
        : `${renderMarkdown(report)}\n`;
  if (opts.out) fs.writeFileSync(opts.out, output);
  else process.stdout.write(output);

  const threshold = severityRank(opts["fail-on"]);
  return report.findings.some((f) => severityRank(f.severity) <= threshold) ? 1 : 0;
}

function summaryLine(report: ScanReport): string {
  const s = report.summary;
  return `${s.critical} critical, ${s.high} high, ${s.moderate} moderate, ${s.low} low, ${s.info} info in ${report.stats.files} files`;
}

/** Progress on stderr, one line per stage or check, so stdout stays a clean report. */
function progressPrinter(quiet: boolean) {
  let last = "";
  return (p: { stage: string; message: string; done?: number; total?: number; files?: number }) => {
    if (quiet) return;
    const counter = p.total !== undefined ? ` [${(p.done ?? 0) + (p.stage === "checks" ? 1 : 0)}/${p.total}]` : "";
    const line = `launch-review: ${p.message}${counter}`;
    if (line === last) return;
    last = line;
    process.stderr.write(`${line}\n`);
  };
}

/** --offline-advisories DIR implies the offline source; otherwise --advisories picks one (default: npm). */
function cliDependencyServices(source: AdvisorySourceName | undefined, offlineDir: string | undefined, noCache: boolean) {
  if (offlineDir && source && source !== "offline")
    throw new UsageError("--offline-advisories goes with --advisories offline (or no --advisories).");
  const chosen = offlineDir ? "offline" : (source ?? "npm");
  if (chosen === "offline" && !offlineDir) throw new UsageError("--advisories offline needs --offline-advisories DIR.");
  const offlineRecords = offlineDir ? loadOsvFolder(path.resolve(offlineDir)).records : [];
  const e = env();
  return buildDependencyServices({
    source: chosen,
    watchList: DEFAULT_WATCH_LIST,
    offlineRecords,
    // The user's cache folder, never the scanned project: the CLI writes nothing else but --out.
    cache: noCache ? memoryDependencyCache() : fileDependencyCache(defaultCacheDir()),
    advisoryTtlMs: e.LAUNCH_REVIEW_ADVISORY_TTL_MINUTES * 60_000,
    npmRegistry: npmRegistryUrl(process.cwd()),
    pypiUrl: e.LAUNCH_REVIEW_PYPI_URL,
    githubApiUrl: e.GITHUB_API_URL,
    githubToken: process.env.GITHUB_TOKEN?.trim() || null,
  });
}

async function keysCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { "new-secret-stdin": { type: "boolean" } } });
  if (positionals.length !== 1 || positionals[0] !== "rotate") throw new UsageError('keys takes one subcommand: "rotate".');
  const newSecret = values["new-secret-stdin"] ? (await readStdin()).trim() : undefined;
  if (newSecret !== undefined && newSecret.length < 32) throw new UsageError("The new secret must be at least 32 characters.");
  const result = rotateKeys({ newSecret, actor: "cli" });
  process.stdout.write(
    `Re-encrypted ${result.tokens} repository token${result.tokens === 1 ? "" : "s"} under the new key.\n` +
      (result.mode === "secret"
        ? "Now set LAUNCH_REVIEW_SECRET to the new value and restart the app: until then it can't read the tokens.\n"
        : "The new key replaced the old one in the data folder.\n") +
      "Everyone is signed out: session cookies were signed with the old key.\n",
  );
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function auditCommand(args: string[]): number {
  if (args[0] !== "verify" || args.length !== 1) throw new UsageError('audit takes one subcommand: "verify".');
  const result = verifyAuditChain();
  if (result.ok) {
    process.stdout.write(`Audit log intact: ${result.entries} entries, every link verified.\n`);
    return 0;
  }
  process.stdout.write(
    `Audit log BROKEN at entry ${result.brokenAt!.id}: ${result.brokenAt!.reason}. ${result.entries - 1} entries before it verified.\n`,
  );
  return 1;
}

const ToolsFlags = z.object({
  format: z.enum(["text", "json"], { error: "--format must be text or json" }).default("text"),
  token: z.string().min(1).max(8192).optional(),
  source: z.string().min(1).optional(),
  subdir: z.string().min(1).optional(),
  timeout: z.coerce.number({ error: "--timeout must be a number of milliseconds" }).int().min(100).max(300_000).default(15_000),
});

async function toolsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      token: { type: "string" },
      source: { type: "string" },
      subdir: { type: "string" },
      timeout: { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("tools takes exactly one URL.");
  const flags = ToolsFlags.safeParse(values);
  if (!flags.success) throw new UsageError(flags.error.issues.map((i) => i.message).join("; "));
  const opts = flags.data;
  // On the command line the user asks for their own machine's view, so local servers are allowed; metadata stays refused.
  const listing = await listLiveTools(positionals[0]!, {
    token: opts.token ?? process.env.LAUNCH_REVIEW_LIVE_TOKEN,
    allowPrivate: true,
    timeoutMs: opts.timeout,
  });
  const comparison = opts.source
    ? compareWithStatic(await staticToolsOf(path.resolve(opts.source), opts.subdir ?? ""), listing.tools)
    : null;
  if (opts.format === "json") process.stdout.write(`${JSON.stringify({ ...listing, comparison }, null, 2)}\n`);
  else process.stdout.write(liveText(listing, comparison, opts.source));
  const differs =
    comparison !== null && (comparison.onlyLive.length > 0 || comparison.onlyStatic.length > 0 || comparison.differing.length > 0);
  return differs ? 1 : 0;
}

function liveText(listing: LiveListing, comparison: LiveComparison | null, source: string | undefined): string {
  const lines = [
    `${listing.url} over ${listing.transport}${listing.server ? ` (${listing.server.name} ${listing.server.version})` : ""}`,
    `${listing.tools.length} tools, ${listing.resources.length} resources`,
    ...listing.tools.map((t) => `  ${t.name}: ${showHidden((t.description ?? "").replace(/\s+/g, " ")).slice(0, 100)}`),
    ...listing.resources.map((r) => `  resource ${r.uri}${r.mimeType ? ` (${r.mimeType})` : ""}`),
  ];
  if (comparison) {
    lines.push(`Compared with the code in ${source}: ${comparison.matching} match`);
    for (const n of comparison.onlyStatic) lines.push(`  only in the code: ${n}`);
    for (const n of comparison.onlyLive) lines.push(`  only on the server: ${n}`);
    for (const d of comparison.differing) {
      lines.push(`  description differs: ${d.name}`);
      lines.push(`    code:   ${showHidden(d.static ?? "(none)")}`);
      lines.push(`    server: ${showHidden(d.live ?? "(none)")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: "string" } } });
  const port = z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .safeParse(values.port ?? process.env.PORT);
  if (!port.success) throw new UsageError("--port must be a number between 1 and 65535.");
  return serve({ port: port.data ?? 3000 });
}

/** Exits once stdout and stderr are flushed: writes to a pipe are asynchronous, and exiting early cuts a report short. */
function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`launch-review: ${error.message}\n\n${USAGE}\n`);
    } else if (isAppError(error)) {
      process.stderr.write(`launch-review: ${error.message}\n`);
    } else {
      process.stderr.write(`launch-review: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    exitAfterFlush(2);
  },
);
