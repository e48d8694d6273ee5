// `launch-review scan <source>`: one scan, its report on stdout or in --out, progress on stderr. Writes nothing but
// --out and the cache under the user's cache folder.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import type { ScanReport } from "@/lib/core/report";
import { severityRank } from "@/lib/core/types";
import { DEFAULT_WATCH_LIST } from "@/lib/engine/advisories/audit";
import { npmRegistryUrl } from "@/lib/engine/advisories/npm-config";
import { loadOsvFolder } from "@/lib/engine/advisories/osv";
import { ADVISORY_SOURCES, buildDependencyServices, type AdvisorySourceName } from "@/lib/engine/advisories/services";
import { defaultCacheDir, fileDependencyCache } from "@/lib/engine/cache/file";
import { memoryDependencyCache } from "@/lib/engine/cache/memory";
import { baselineFingerprints, compareWithBaseline } from "@/lib/engine/report/baseline";
import { renderMarkdown } from "@/lib/engine/report/markdown";
import { renderSarif } from "@/lib/engine/report/sarif";
import { runScan } from "@/lib/engine/scan";
import { limitsFromEnv } from "@/lib/engine/snapshot";
import { assertHostMatchesApi, assertValidRef, parseSourceInput } from "@/lib/engine/sources/parse";
import { archiveLimitsFromEnv, type SourceSpec } from "@/lib/engine/sources/types";
import { env } from "@/lib/env";
import { checkedFlags, UsageError } from "../usage";

const ScanFlags = z.object({
  format: z.enum(["json", "md", "sarif"], { error: "--format must be json, md or sarif" }).default("json"),
  "fail-on": z.enum(["critical", "high", "moderate", "low"], { error: "--fail-on must be critical, high, moderate or low" }).default("high"),
  ref: z.string().min(1).optional(),
  subdir: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  quiet: z.boolean().default(false),
  advisories: z.enum(ADVISORY_SOURCES, { error: `--advisories must be one of ${ADVISORY_SOURCES.join(", ")}` }).optional(),
  "offline-advisories": z.string().min(1).optional(),
  "no-cache": z.boolean().default(false),
  baseline: z.string().min(1).optional(),
  since: z.string().min(1).optional(),
});

export async function run(args: string[]): Promise<number> {
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
      baseline: { type: "string" },
      since: { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("scan takes exactly one source.");
  const opts = checkedFlags(ScanFlags, values);

  if (opts.baseline && opts.since) throw new UsageError("--baseline and --since don't go together: give one.");
  const spec = sourceSpec(positionals[0]!, opts.ref, opts.subdir);
  if (opts.since && spec.kind !== "github") throw new UsageError("--since works with GitHub sources; for a folder, give --baseline with an earlier report.");
  const progress = progressPrinter(opts.quiet);
  const scanOptions = {
    limits: limitsFromEnv(env()),
    archiveLimits: archiveLimitsFromEnv(env()),
    services: { dependencies: dependencyServices(opts.advisories, opts["offline-advisories"], opts["no-cache"]) },
    applyRepoIgnores: true,
  };
  // Read the baseline first: a bad file should fail before a long scan, not after.
  let baseline: { fingerprints: Set<string>; source: string } | null = null;
  if (opts.baseline) baseline = { fingerprints: baselineFingerprints(readBounded(opts.baseline), opts.baseline), source: opts.baseline };
  else if (opts.since && spec.kind === "github") {
    progress({ stage: "source", message: `Scanning the baseline at ${opts.since}` });
    const before = await runScan({ ...spec, ref: assertValidRef(opts.since) }, scanOptions);
    baseline = { fingerprints: new Set(before.findings.map((f) => f.fingerprint)), source: `${spec.repository}@${opts.since}` };
  }
  let report = await runScan(spec, { ...scanOptions, onProgress: progress });
  if (baseline) report = compareWithBaseline(report, baseline.fingerprints, baseline.source);
  progress({ stage: "done", message: `Done: ${summaryLine(report)}` });

  const output =
    opts.format === "json"
      ? `${JSON.stringify(report, null, 2)}\n`
      : opts.format === "sarif"
        ? `${JSON.stringify(renderSarif(report), null, 2)}\n`
        : `${renderMarkdown(report)}\n`;
  if (opts.out) fs.writeFileSync(opts.out, output);
  else process.stdout.write(output);

  // With a baseline, only what is new can fail the run.
  const threshold = severityRank(opts["fail-on"]);
  return report.findings.some((f) => f.baselineState !== "unchanged" && severityRank(f.severity) <= threshold) ? 1 : 0;
}

function sourceSpec(input: string, ref: string | undefined, subdir: string | undefined): SourceSpec {
  const parsed = parseSourceInput(input, (v) => fs.existsSync(v));
  if (parsed.kind === "local") return { kind: "local", path: path.resolve(parsed.path), subdirectory: subdir ?? "" };
  if (parsed.kind === "npm") {
    if (ref) throw new UsageError("--ref is for GitHub sources; give the version in the source: npm:name@version.");
    return { kind: "npm", name: parsed.name, version: parsed.version, subdirectory: subdir ?? "", registry: npmRegistryUrl(process.cwd()) };
  }
  assertHostMatchesApi(parsed, env().GITHUB_API_URL);
  return {
    kind: "github",
    repository: parsed.repository,
    ref: ref ? assertValidRef(ref) : parsed.ref,
    subdirectory: subdir ?? parsed.subdirectory ?? "",
    token: process.env.GITHUB_TOKEN?.trim() || null,
    apiUrl: env().GITHUB_API_URL,
    tokenHint: "in GITHUB_TOKEN",
  };
}

function summaryLine(report: ScanReport): string {
  const s = report.summary;
  const base = report.baseline ? `; ${report.baseline.new} new since ${report.baseline.source}, ${report.baseline.fixed} fixed` : "";
  const ignored = report.ignored?.length ? `; ${report.ignored.length} ignored by launch-review.yml` : "";
  return `${s.critical} critical, ${s.high} high, ${s.moderate} moderate, ${s.low} low, ${s.info} info in ${report.stats.files} files${base}${ignored}`;
}

function readBounded(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new UsageError(`--baseline ${file}: no such file.`);
  if (stat.size > 64 * 1024 * 1024) throw new UsageError(`--baseline ${file} is larger than 64 MB.`);
  return fs.readFileSync(file, "utf8");
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
function dependencyServices(source: AdvisorySourceName | undefined, offlineDir: string | undefined, noCache: boolean) {
  if (offlineDir && source && source !== "offline") throw new UsageError("--offline-advisories goes with --advisories offline (or no --advisories).");
  const chosen = offlineDir ? "offline" : (source ?? "npm");
  if (chosen === "offline" && !offlineDir) throw new UsageError("--advisories offline needs --offline-advisories DIR.");
  const offlineRecords = offlineDir ? loadOsvFolder(path.resolve(offlineDir)).records : [];
  const e = env();
  return buildDependencyServices({
    source: chosen,
    watchList: DEFAULT_WATCH_LIST,
    offlineRecords,
    // The user's cache folder, never the scanned project.
    cache: noCache ? memoryDependencyCache() : fileDependencyCache(defaultCacheDir()),
    advisoryTtlMs: e.LAUNCH_REVIEW_ADVISORY_TTL_MINUTES * 60_000,
    npmRegistry: npmRegistryUrl(process.cwd()),
    pypiUrl: e.LAUNCH_REVIEW_PYPI_URL,
    githubApiUrl: e.GITHUB_API_URL,
    githubToken: process.env.GITHUB_TOKEN?.trim() || null,
  });
}
