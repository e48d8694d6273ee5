// A throwaway PostgreSQL for tests: initdb and pg_ctl (Debian's postgresql package) in a temp folder, on a free port,
// stopped and deleted on teardown. Tests that need Postgres fail, with how to fix it, when the binaries are missing:
// they are never skipped (.ci/run installs the package).
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./free-port";

const run = promisify(execFile);

/** Where Debian puts PostgreSQL 15's server binaries; POSTGRES_BIN overrides it (another version, another distribution). */
export function postgresBinDir(): string {
  return process.env.POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";
}

export interface PostgresCluster {
  /** The cluster's folder: data, log, and the unix socket. */
  dir: string;
  port: number;
  /** A new, empty database; its postgres:// URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server and deletes the folder. */
  stop(): Promise<void>;
}

/** PostgreSQL refuses to run as root: as root, the cluster runs as the postgres user, which owns its folder. */
function asServerUser(): { prefix: string[]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { prefix: ["runuser", "-u", "postgres", "--"], uid, gid };
}

function readLog(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, "log"), "utf8").trim().split("\n").slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Starts a new cluster. Fails with the fix when PostgreSQL isn't installed. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!fs.existsSync(path.join(bin, "initdb")) || !fs.existsSync(path.join(bin, "pg_ctl"))) {
    throw new Error(
      `PostgreSQL's initdb and pg_ctl are not in ${bin}. Install Debian's package (apt-get update && apt-get install -y postgresql; ` +
        `.ci/run does this) or point POSTGRES_BIN at another installation's bin folder.`,
    );
  }
  const user = asServerUser();
  const commandLine = (binary: string, args: string[]): [string, string[]] => {
    const [command, ...rest] = [...user.prefix, path.join(bin, binary), ...args];
    return [command!, rest];
  };
  const exec = (binary: string, args: string[]) => run(...commandLine(binary, args), { timeout: 60_000 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-review-pg-"));
  const dataDir = path.join(dir, "data");
  if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid!);
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });

  // Durability is pointless in a cluster deleted after the run: no fsync, no full-page writes; the smallest footprint.
  const serverOptions = [
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c shared_buffers=16MB",
    "-c max_connections=50",
  ];
  let port = 0;
  try {
    await exec("initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]);
    // The free port can be taken between the probe and the start (other suites run beside this one): try again then.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", ...serverOptions].join(" ");
      try {
        await exec("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    const log = readLog(dir);
    removeDir();
    throw new Error(`The test PostgreSQL did not start: ${(error as Error).message}\n${log}`);
  }

  // Should the test process end without teardown, the server still goes: nothing outlives the run.
  const stopNow = () => {
    try {
      execFileSync(...commandLine("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]), { stdio: "ignore" });
    } catch {
      // Already stopped.
    }
    removeDir();
  };
  process.once("exit", stopNow);

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  return {
    dir,
    port,
    async createDatabase(name = `test_${process.pid}_${++databases}`) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Database names here are lower-case identifiers, not ${JSON.stringify(name)}.`);
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      process.removeListener("exit", stopNow);
      try {
        await exec("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } finally {
        removeDir();
      }
    },
  };
}
