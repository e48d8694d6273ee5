// The CLI as a user runs it, whole processes side by side in one run (median of RUNS each, printed as ratios):
//   1. `launch-review --version` (target: under 150 ms);
//   2. `launch-review scan` of a small real connector against a loopback advisory stub, next to `npm audit --json` on
//      the same folder and stub (target: at most 0.5x npm audit's wall time, under 120 MB peak);
//   3. `launch-review scan` of a generated 2,000-file connector (target: under 1.5 s).
// The real connector comes from the labelled corpus ($LAUNCH_REVIEW_CORPUS_DIR, see bench/detection); without it the
// bundled demo connector stands in, and the line says so. Peak memory is read with GNU time when it is installed.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import semver from "semver";
import { packumentsFromLockfile, startFakeRegistry, type BulkAdvisory } from "@/test/support/fake-registry";
import { CLI_BIN } from "@/test/support/cli";
import { npmAuditFolder } from "@/test/support/npm-audit";
import { checkout, loadLabels } from "../detection/corpus";
import { ms } from "../support/measure";

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** A labelled connector of 30–80 files with one package-lock.json. */
const SMALL_CONNECTOR = "intersective/practera-mcp-server";
const GNU_TIME = ["/usr/bin/time", "/bin/time"].find((p) => fs.existsSync(p)) ?? null;

interface Sample {
  ms: number;
  /** Peak resident memory in MB, when GNU time could say. */
  mb: number | null;
  /** The fastest and slowest runs, for a median of several. */
  range?: [number, number];
}

/** One whole process: wall time, and peak memory through GNU time when available. Non-zero exits are fine (findings). */
async function measure(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Sample> {
  const timeFile = path.join(os.tmpdir(), `lr-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ["-f", "%M", "-o", timeFile, command, ...args]] : [command, args];
  const t0 = performance.now();
  try {
    await run(cmd, argv, { ...options, maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "number") throw error;
  }
  const elapsed = performance.now() - t0;
  let mb: number | null = null;
  if (GNU_TIME && fs.existsSync(timeFile)) {
    const kb = Number(fs.readFileSync(timeFile, "utf8").trim().split("\n").pop());
    mb = Number.isFinite(kb) ? kb / 1024 : null;
    fs.rmSync(timeFile, { force: true });
  }
  return { ms: elapsed, mb };
}

async function median(n: number, one: () => Promise<Sample>): Promise<Sample> {
  await one(); // warm the disk cache and V8's code cache, as for a user's second run
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push(await one());
  const by = (k: "ms" | "mb") =>
    samples
      .map((s) => s[k])
      .filter((v): v is number => typeof v === "number")
      .sort((a, b) => a - b);
  const mid = <T>(list: T[]) => list[Math.floor(list.length / 2)];
  const times = by("ms");
  return { ms: mid(times)!, mb: mid(by("mb")) ?? null, range: [times[0]!, times[times.length - 1]!] };
}

const fmt = (s: Sample) =>
  `${ms(s.ms)}${s.range ? ` (${s.range[0].toFixed(0)}–${s.range[1].toFixed(0)})` : ""}${s.mb === null ? "" : `, ${s.mb.toFixed(0)} MB peak`}`;
const verdict = (ok: boolean) => (ok ? "within target" : "OVER TARGET");

/** The small real connector, or the demo when the corpus isn't on this machine. */
function smallConnector(): { dir: string; name: string; cleanup: () => void } {
  const entry = loadLabels().find((l) => l.label.repo === SMALL_CONNECTOR);
  const got = entry ? checkout(entry.label) : null;
  if (got && fs.existsSync(path.join(got.dir, "package-lock.json"))) return { dir: got.dir, name: SMALL_CONNECTOR, cleanup: got.cleanup };
  got?.cleanup();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-demo-"));
  fs.cpSync(path.resolve("examples/demo-connector"), dir, { recursive: true });
  return { dir, name: "examples/demo-connector (corpus not found)", cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Advisories on a few locked packages, each fixed in the next patch release: both tools have something to report. */
function advisoriesFor(lockfile: string): { advisories: Record<string, BulkAdvisory[]>; fixes: Array<{ name: string; version: string }> } {
  const packages = Object.entries((JSON.parse(lockfile) as { packages?: Record<string, { version?: string }> }).packages ?? {})
    .filter(([key, p]) => key.startsWith("node_modules/") && p.version && semver.valid(p.version))
    .map(([key, p]) => ({ name: key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length), version: p.version! }));
  const advisories: Record<string, BulkAdvisory[]> = {};
  const fixes: Array<{ name: string; version: string }> = [];
  packages
    .filter((_, i) => i % Math.max(1, Math.floor(packages.length / 4)) === 0)
    .slice(0, 4)
    .forEach((p, i) => {
      const fixed = semver.inc(p.version, "patch")!;
      const c = "2345"[i]!;
      advisories[p.name] = [
        {
          id: 2_000 + i,
          url: `https://github.com/advisories/GHSA-${c}q${c}v-m${c}x${c}-7c3p`,
          title: `Bench advisory ${i}`,
          severity: "high",
          vulnerable_versions: `<${fixed}`,
        },
      ];
      fixes.push({ name: p.name, version: fixed });
    });
  return { advisories, fixes };
}

function generatedConnector(files: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-cli-gen-"));
  for (let i = 0; i < files; i++) {
    const dir = path.join(root, "src", `module${i % 50}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, `file${i}.ts`),
      `import { z } from "zod";\n// file ${i}\nexport const schema${i} = z.object({ id: z.string(), count: z.number() });\n`.repeat(20),
    );
  }
  fs.writeFileSync(
    path.join(root, "package.json"),
    JSON.stringify({ name: "generated", version: "1.0.0", dependencies: { zod: "^3.23.0" } }),
  );
  return root;
}

export async function main(): Promise<void> {
  if (!fs.existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run npm install (its prepare script builds the CLI).`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "lr-bench-cli-"));
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    NODE_ENV: "production",
    PATH: process.env.PATH,
    HOME: scratch,
    XDG_CACHE_HOME: path.join(scratch, "cache"),
    LAUNCH_REVIEW_LOG_LEVEL: "silent",
    ...extra,
  });
  const small = smallConnector();
  const generated = generatedConnector(2000);
  const lockfile = fs.readFileSync(path.join(small.dir, "package-lock.json"), "utf8");
  const { advisories, fixes } = advisoriesFor(lockfile);
  const registry = await startFakeRegistry({
    advisories,
    packuments: packumentsFromLockfile(JSON.parse(lockfile) as Parameters<typeof packumentsFromLockfile>[0], fixes),
  });
  const auditDir = npmAuditFolder({ packageJson: fs.readFileSync(path.join(small.dir, "package.json"), "utf8"), lockfile });
  try {
    const node = await median(RUNS, () => measure(process.execPath, ["-e", "0"], { cwd: scratch, env: env() }));
    const version = await median(RUNS, () => measure(process.execPath, [CLI_BIN, "--version"], { cwd: scratch, env: env() }));
    console.log(`node -e 0 (the floor):     ${fmt(node)}`);
    console.log(
      `launch-review --version:   ${fmt(version)}  (${(version.ms / node.ms).toFixed(1)}x bare node; target < 150 ms: ${verdict(version.ms < 150)})`,
    );

    const files = fs.readdirSync(small.dir, { recursive: true }).length;
    const out = path.join(scratch, "report.json");
    // --no-cache: every run asks the stub, as npm audit does.
    const scanArgs = [CLI_BIN, "scan", small.dir, "--advisories", "npm", "--format", "json", "--out", out, "--quiet", "--no-cache"];
    const ours = await median(RUNS, () =>
      measure(process.execPath, scanArgs, { cwd: scratch, env: env({ npm_config_registry: registry.url }) }),
    );
    const npmArgs = [
      "audit",
      "--json",
      "--package-lock-only",
      "--registry",
      registry.url,
      "--userconfig",
      path.join(auditDir, "npmrc"),
      "--cache",
      path.join(auditDir, "cache"),
    ];
    const npm = await median(RUNS, () => measure("npm", npmArgs, { cwd: auditDir, env: { ...env(), npm_config_registry: registry.url } }));
    const ratio = ours.ms / npm.ms;
    console.log(
      `\nsmall real connector: ${small.name}, ${files} entries, one package-lock.json, ${Object.keys(advisories).length} advisories in the stub`,
    );
    console.log(`launch-review scan:        ${fmt(ours)}`);
    console.log(`npm audit --json:          ${fmt(npm)}`);
    console.log(
      `ratio: the whole review takes ${ratio.toFixed(2)}x npm audit's time (target <= 0.5x: ${verdict(ratio <= 0.5)}); memory target < 120 MB: ${ours.mb === null ? "not measured (no GNU time)" : verdict(ours.mb < 120)}`,
    );

    const gen = await median(Math.min(RUNS, 5), () =>
      measure(
        process.execPath,
        [CLI_BIN, "scan", generated, "--advisories", "none", "--format", "json", "--out", out, "--quiet", "--no-cache"],
        {
          cwd: scratch,
          env: env(),
        },
      ),
    );
    console.log(
      `\ngenerated 2,000-file connector: ${fmt(gen)}  (${(gen.ms / npm.ms).toFixed(1)}x npm audit on the small one; target < 1.5 s: ${verdict(gen.ms < 1500)})`,
    );
  } finally {
    await registry.close();
    small.cleanup();
    for (const d of [generated, auditDir, scratch]) fs.rmSync(d, { recursive: true, force: true });
  }
}
