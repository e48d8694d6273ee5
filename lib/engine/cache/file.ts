// A dependency cache in a folder of JSON files: the CLI's, under the user's cache folder, so repeated scans reuse
// advisory answers and packuments without a database and without writing anything into the scanned project.
// A cache that can't be read or written is a miss, never a failed scan.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AdvisoryCacheKey, CachedAdvisories, CachedPackument, DependencyCache } from "@/lib/core/cache";
import { advisoryKeyString } from "./memory";

/** Larger entries are not kept: no packument the audit needs is this big once trimmed. */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

/** `$XDG_CACHE_HOME/launch-review`, else `~/.cache/launch-review`. */
export function defaultCacheDir(environment: NodeJS.ProcessEnv = process.env): string {
  const base = environment.XDG_CACHE_HOME && path.isAbsolute(environment.XDG_CACHE_HOME) ? environment.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
  return path.join(base, "launch-review");
}

export function fileDependencyCache(dir: string): DependencyCache {
  const root = path.join(dir, "v1");
  const fileFor = (kind: "advisories" | "packuments", key: string) =>
    path.join(root, kind, `${createHash("sha256").update(key).digest("hex").slice(0, 40)}.json`);

  function read(file: string): Record<string, unknown> | undefined {
    try {
      if (fs.statSync(file).size > MAX_ENTRY_BYTES) return undefined;
      const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  function write(file: string, value: unknown): void {
    try {
      const text = JSON.stringify(value);
      if (text.length > MAX_ENTRY_BYTES) return;
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
      fs.writeFileSync(tmp, text, { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch {
      // A read-only or full disk makes the cache a miss next time; the scan itself goes on.
    }
  }

  const dateOf = (v: unknown): Date | null => {
    const d = typeof v === "string" ? new Date(v) : null;
    return d && !Number.isNaN(d.getTime()) ? d : null;
  };

  return {
    async advisories(key: AdvisoryCacheKey, freshSince: Date): Promise<CachedAdvisories | undefined> {
      const keyString = advisoryKeyString(key);
      const entry = read(fileFor("advisories", keyString));
      const fetchedAt = dateOf(entry?.fetchedAt);
      if (!entry || entry.key !== keyString || !fetchedAt || fetchedAt <= freshSince) return undefined;
      return { fetchedAt, advisories: entry.advisories };
    },
    async storeAdvisories(rows) {
      for (const { fetchedAt, advisories, ...key } of rows) {
        const keyString = advisoryKeyString(key);
        write(fileFor("advisories", keyString), { key: keyString, fetchedAt: fetchedAt.toISOString(), advisories });
      }
    },
    async packument(registry: string, name: string): Promise<CachedPackument | undefined> {
      const keyString = JSON.stringify([registry, name]);
      const entry = read(fileFor("packuments", keyString));
      const fetchedAt = dateOf(entry?.fetchedAt);
      if (!entry || entry.key !== keyString || !fetchedAt) return undefined;
      return { etag: typeof entry.etag === "string" ? entry.etag : null, fetchedAt, body: entry.body };
    },
    async storePackument({ registry, name, etag, fetchedAt, body }) {
      const keyString = JSON.stringify([registry, name]);
      write(fileFor("packuments", keyString), { key: keyString, etag, fetchedAt: fetchedAt.toISOString(), body });
    },
  };
}
