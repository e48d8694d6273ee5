// The real `npm audit --json`, run against a registry stub: what the parity test and bench/audit compare us with.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A scratch folder npm audit can run in: the project's package.json and package-lock.json, and a userconfig of its
 * own (the machine's ~/.npmrc may say audit=false). The caller removes it.
 */
export function npmAuditFolder(files: { packageJson: string; lockfile: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-npm-audit-"));
  fs.writeFileSync(path.join(dir, "package.json"), files.packageJson);
  fs.writeFileSync(path.join(dir, "package-lock.json"), files.lockfile);
  fs.writeFileSync(path.join(dir, "npmrc"), "audit=true\nfund=false\nupdate-notifier=false\n");
  return dir;
}

/** The pairs `npm audit` reports in a folder from `npmAuditFolder`: each vulnerability's own advisories (its "via" objects), by GHSA id. */
export async function npmAuditPairsIn(dir: string, registryUrl: string): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await run(
      "npm",
      [
        "audit",
        "--json",
        "--package-lock-only",
        "--registry",
        registryUrl,
        "--userconfig",
        path.join(dir, "npmrc"),
        "--cache",
        path.join(dir, "cache"),
      ],
      {
        cwd: dir,
        encoding: "utf8",
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, npm_config_registry: registryUrl },
      },
    ));
  } catch (error) {
    // npm audit exits 1 when it finds vulnerabilities; the report is still on stdout.
    stdout = (error as { stdout?: string }).stdout ?? "";
  }
  const report = JSON.parse(stdout) as { vulnerabilities?: Record<string, { via: Array<string | { url: string }> }> };
  if (!report.vulnerabilities) throw new Error(`npm audit printed no report: ${stdout.slice(0, 500)}`);
  const pairs = Object.entries(report.vulnerabilities).flatMap(([name, v]) =>
    v.via.flatMap((via) => (typeof via === "string" ? [] : [`${name} ${/GHSA(?:-[a-z0-9]{4}){3}/.exec(via.url)?.[0]}`])),
  );
  return [...new Set(pairs)].sort();
}

/** The pairs `npm audit` reports for a project folder's package.json and package-lock.json (the folder is not touched). */
export async function npmAuditPairs(projectDir: string, registryUrl: string): Promise<string[]> {
  const read = (f: string) => fs.readFileSync(path.join(projectDir, f), "utf8");
  const dir = npmAuditFolder({ packageJson: read("package.json"), lockfile: read("package-lock.json") });
  try {
    return await npmAuditPairsIn(dir, registryUrl);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
