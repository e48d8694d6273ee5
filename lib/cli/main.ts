// launch-review: scan a connector from the command line, or serve the app.
// Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or source error.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { renderMarkdown } from "@/lib/report/markdown";
import type { ScanReport } from "@/lib/report/types";
import { severityRank } from "@/lib/report/types";
import { compareWithStatic, listLiveTools, type LiveComparison, type LiveListing } from "@/lib/live/live-tools";
import { runScan } from "@/lib/scan";
import { staticToolsOf } from "@/lib/tools/static-manifest";
import { showHidden } from "@/lib/unicode";
import { limitsFromEnv } from "@/lib/snapshot";
import { parseSourceInput } from "@/lib/sources/parse";
import type { SourceSpec } from "@/lib/sources/types";
import { serve } from "./serve";

const USAGE = `Usage:
  launch-review scan <source> [--ref R] [--subdir P] [--format json|md] [--out FILE]
                     [--fail-on critical|high|moderate|low] [--quiet]
  launch-review tools <url> [--token T] [--source DIR] [--subdir P] [--format text|json] [--timeout MS]
  launch-review serve [--port N]

<source> is a local folder, owner/repo, github:owner/repo, or https://github.com/owner/repo[/tree/ref/subdir].
Exit codes: 0 no findings at or above --fail-on (default high); 1 findings at or above it; 2 usage or source error.
tools: lists what a running MCP server serves (Streamable HTTP, then SSE) and, with --source, compares it with the
code; exit 1 when they differ. The token may also come from LAUNCH_REVIEW_LIVE_TOKEN.`;

class UsageError extends Error {}

const ScanFlags = z.object({
  format: z.enum(["json", "md"], { error: "--format must be json or md" }).default("json"),
  "fail-on": z
    .enum(["critical", "high", "moderate", "low"], { error: "--fail-on must be critical, high, moderate or low" })
    .default("high"),
  ref: z.string().min(1).optional(),
  subdir: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  quiet: z.boolean().default(false),
});

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "scan":
      return scanCommand(rest);
    case "serve":
      return serveCommand(rest);
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
    },
  });
  if (positionals.length !== 1) throw new UsageError("scan takes exactly one source.");
  const flags = ScanFlags.safeParse(values);
  if (!flags.success) throw new UsageError(flags.error.issues.map((i) => i.message).join("; "));
  const opts = flags.data;

  const parsed = parseSourceInput(positionals[0]!, (v) => fs.existsSync(v));
  const spec: SourceSpec =
    parsed.kind === "local"
      ? { kind: "local", path: path.resolve(parsed.path), subdirectory: opts.subdir ?? "" }
      : {
          kind: "github",
          repository: parsed.repository,
          ref: opts.ref ?? parsed.ref,
          subdirectory: opts.subdir ?? parsed.subdirectory ?? "",
          token: process.env.GITHUB_TOKEN ?? null,
        };

  const progress = progressPrinter(opts.quiet);
  const report = await runScan(spec, { limits: limitsFromEnv(env()), onProgress: progress });
  progress({ stage: "done", message: `Done: ${summaryLine(report)}` });

  const output = opts.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : `${renderMarkdown(report)}\n`;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      process.stderr.write(`launch-review: ${error.message}\n\n${USAGE}\n`);
    } else if (isAppError(error)) {
      process.stderr.write(`launch-review: ${error.message}\n`);
    } else {
      process.stderr.write(`launch-review: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(2);
  },
);
