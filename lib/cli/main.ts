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
import { runScan } from "@/lib/scan";
import { limitsFromEnv } from "@/lib/snapshot";
import { assertHostMatchesApi, assertValidRef, parseSourceInput } from "@/lib/sources/parse";
import { archiveLimitsFromEnv, type SourceSpec } from "@/lib/sources/types";
import { serve } from "./serve";

const USAGE = `Usage:
  launch-review scan <source> [--ref R] [--subdir P] [--format json|md] [--out FILE]
                     [--fail-on critical|high|moderate|low] [--quiet]
  launch-review serve [--port N]

<source> is a local folder, owner/repo, github:owner/repo, or https://github.com/owner/repo[/tree/ref/subdir].
GitHub sources read GITHUB_TOKEN (optional; a fine-grained token with read-only Contents on the repository) and
GITHUB_API_URL (default https://api.github.com; GitHub Enterprise: https://HOST/api/v3).
Exit codes: 0 no findings at or above --fail-on (default high); 1 findings at or above it; 2 usage or source error.`;

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
  const report = await runScan(spec, { limits: limitsFromEnv(env()), archiveLimits: archiveLimitsFromEnv(env()), onProgress: progress });
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
