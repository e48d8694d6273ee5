// Package metadata from the registries: npm packuments through npm-registry-fetch and PyPI's JSON API, trimmed to
// what the audit needs (dist-tags, each version's dependencies and deprecation, publish times) and cached in SQLite
// with their ETag (in whatever cache the caller passes), so a revalidation costs a 304.
import semver from "semver";
import { z } from "zod";
import type { CachedPackument, DependencyCache } from "@/lib/core/cache";
import { npmFetch, type NpmFetch, type NpmFetchOptions } from "./net/npm-fetch";
import type { Ecosystem } from "./parse/lockfiles/types";

export interface Packument {
  name: string;
  latest: string | null;
  versions: Record<string, { dependencies?: Record<string, string>; deprecated?: string }>;
  /** Publish time per version (ISO). */
  time: Record<string, string>;
}

export interface RegistryService {
  /** Null when the registry has no such package. Throws RegistryError when the registry can't be asked. */
  packument(ecosystem: Ecosystem, name: string, signal?: AbortSignal): Promise<Packument | null>;
  readonly requests: number;
}

export class RegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistryError";
  }
}

// A version's other fields (dist, scripts, maintainers, ...) are left out of the parsed copy: trimNpm never reads them,
// and copying them for every version of a popular package costs more than the rest of the parse.
const NpmPackument = z.object({
  name: z.string(),
  "dist-tags": z.record(z.string(), z.string()).optional(),
  versions: z.record(
    z.string(),
    z.object({ dependencies: z.record(z.string(), z.string()).optional(), deprecated: z.union([z.string(), z.boolean()]).optional() }),
  ),
  time: z.record(z.string(), z.string()).optional(),
});

const PypiProject = z.object({
  info: z.object({ name: z.string(), version: z.string() }).passthrough(),
  releases: z.record(
    z.string(),
    z.array(
      z
        .object({ upload_time_iso_8601: z.string().optional(), yanked: z.boolean().optional(), yanked_reason: z.string().nullish() })
        .passthrough(),
    ),
  ),
});

/** Re-use a cached packument without asking at all while it is this fresh. */
const FRESH_MS = 10 * 60_000;
const MAX_BYTES = 64 * 1024 * 1024;

function trimNpm(doc: z.infer<typeof NpmPackument>): Packument {
  const versions: Packument["versions"] = {};
  for (const [v, meta] of Object.entries(doc.versions)) {
    versions[v] = {
      ...(meta.dependencies ? { dependencies: meta.dependencies } : {}),
      ...(typeof meta.deprecated === "string" && meta.deprecated ? { deprecated: meta.deprecated.slice(0, 500) } : {}),
    };
  }
  const time = Object.fromEntries(Object.entries(doc.time ?? {}).filter(([k]) => k in versions));
  return { name: doc.name, latest: doc["dist-tags"]?.latest ?? null, versions, time };
}

function trimPypi(doc: z.infer<typeof PypiProject>): Packument {
  const versions: Packument["versions"] = {};
  const time: Record<string, string> = {};
  for (const [v, files] of Object.entries(doc.releases)) {
    if (files.length === 0) continue;
    const yanked = files.every((f) => f.yanked);
    versions[v] = yanked ? { deprecated: files[0]?.yanked_reason || "yanked" } : {};
    const uploaded = files
      .map((f) => f.upload_time_iso_8601)
      .filter((t): t is string => Boolean(t))
      .sort()[0];
    if (uploaded) time[v] = uploaded;
  }
  return { name: doc.info.name, latest: doc.info.version, versions, time };
}

/** A stored packument that may be revalidated with its ETag. */
type Cached = CachedPackument | undefined;

export interface RegistryOptions {
  cache: DependencyCache;
  npmRegistry: string;
  pypiUrl: string;
  timeoutMs?: number;
  now?: () => Date;
}

export function createRegistryService(options: RegistryOptions): RegistryService {
  let requests = 0;
  const now = options.now ?? (() => new Date());
  const timeout = options.timeoutMs ?? 30_000;

  // Once a registry can't be reached, the rest of this scan's questions fail at once instead of each waiting out
  // its own retries.
  const unreachable = new Map<Ecosystem, RegistryError>();
  const cannotReach = (ecosystem: Ecosystem, message: string): RegistryError => {
    const failure = new RegistryError(message);
    unreachable.set(ecosystem, failure);
    return failure;
  };

  /** A 304: the stored packument is current again, and fresh for another FRESH_MS. */
  const revalidated = async (registry: string, name: string, cached: NonNullable<Cached>): Promise<Packument> => {
    await options.cache.storePackument({ registry, name, etag: cached.etag, fetchedAt: now(), body: cached.body });
    return cached.body as Packument;
  };

  async function fromNpm(name: string, cached: Cached, signal?: AbortSignal): Promise<Packument | null> {
    const fetch = await npmFetch();
    let res: Awaited<ReturnType<NpmFetch>>;
    try {
      res = await fetch(`/${name.startsWith("@") ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)}`, {
        registry: options.npmRegistry,
        timeout,
        retry: { retries: 1, minTimeout: 500 },
        headers: { accept: "application/json", ...(cached?.etag ? { "if-none-match": cached.etag } : {}) },
        signal,
      } as NpmFetchOptions);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) return null;
      if (status === 304 && cached) return revalidated(options.npmRegistry, name, cached);
      if (status) throw new RegistryError(`the registry answered ${status} for ${name}`);
      if (signal?.aborted) throw error;
      throw cannotReach("npm", `the registry could not be reached (${(error as Error).message.slice(0, 120)})`);
    }
    if (res.status === 304 && cached) return revalidated(options.npmRegistry, name, cached);
    const size = Number(res.headers.get("content-length") ?? 0);
    if (size > MAX_BYTES) throw new RegistryError(`the packument of ${name} is larger than ${MAX_BYTES / (1024 * 1024)} MB`);
    const parsed = NpmPackument.safeParse(await res.json());
    if (!parsed.success) throw new RegistryError(`the registry's answer for ${name} is not a packument`);
    const body = trimNpm(parsed.data);
    await options.cache.storePackument({ registry: options.npmRegistry, name, etag: res.headers.get("etag"), fetchedAt: now(), body });
    return body;
  }

  async function fromPypi(name: string, cached: Cached, signal?: AbortSignal): Promise<Packument | null> {
    let res: Response;
    try {
      res = await globalThis.fetch(`${options.pypiUrl.replace(/\/+$/, "")}/pypi/${encodeURIComponent(name)}/json`, {
        headers: { accept: "application/json", ...(cached?.etag ? { "if-none-match": cached.etag } : {}) },
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw cannotReach("pypi", `PyPI could not be reached (${(error as Error).message.slice(0, 120)})`);
    }
    if (res.status === 404) return null;
    if (res.status === 304 && cached) return revalidated(options.pypiUrl, name, cached);
    if (!res.ok) throw new RegistryError(`PyPI answered ${res.status} for ${name}`);
    const parsed = PypiProject.safeParse(await res.json());
    if (!parsed.success) throw new RegistryError(`PyPI's answer for ${name} is not a project`);
    const body = trimPypi(parsed.data);
    await options.cache.storePackument({ registry: options.pypiUrl, name, etag: res.headers.get("etag"), fetchedAt: now(), body });
    return body;
  }

  return {
    async packument(ecosystem, name, signal) {
      const cached = await options.cache.packument(ecosystem === "npm" ? options.npmRegistry : options.pypiUrl, name);
      if (cached && now().getTime() - cached.fetchedAt.getTime() < FRESH_MS) return cached.body as Packument;
      const down = unreachable.get(ecosystem);
      if (down) throw down;
      requests += 1;
      return ecosystem === "npm" ? fromNpm(name, cached, signal) : fromPypi(name, cached, signal);
    },
    get requests() {
      return requests;
    },
  };
}

export interface PatchStatus {
  latest: string | null;
  latestInMajor: string | null;
  behind: "major" | "minor" | "patch" | null;
  deprecated: string | false;
  /** Days since a newer version than the locked one was first published; null when nothing newer exists. */
  daysSinceSuperseded: number | null;
}

/** How a locked version stands against the packument (npm versions with semver; Python with loose semver coercion). */
export function patchStatus(packument: Packument, version: string, now: Date): PatchStatus {
  const coerce = (v: string) => semver.valid(v) ?? semver.valid(semver.coerce(v));
  const locked = coerce(version);
  // Each version is parsed once: semver's string functions parse their arguments again on every call, and a popular
  // package has thousands of versions to filter and sort.
  const stable = Object.keys(packument.versions).flatMap((raw) => {
    const sv = coerce(raw);
    if (sv === null || packument.versions[raw]?.deprecated) return [];
    const parsed = new semver.SemVer(sv);
    return parsed.prerelease.length === 0 ? [{ raw, sv: parsed }] : [];
  });
  const latest = packument.latest;
  const latestSv = latest ? coerce(latest) : null;
  const lockedSv = locked ? new semver.SemVer(locked) : null;
  const inMajor = lockedSv
    ? (stable
        .filter((v) => v.sv.major === lockedSv.major)
        .sort((a, b) => a.sv.compare(b.sv))
        .at(-1)?.raw ?? null)
    : null;
  let behind: PatchStatus["behind"] = null;
  if (locked && latestSv && semver.lt(locked, latestSv)) {
    behind = semver.major(locked) < semver.major(latestSv) ? "major" : semver.minor(locked) < semver.minor(latestSv) ? "minor" : "patch";
  }
  const newer = lockedSv
    ? stable
        .filter((v) => v.sv.compare(lockedSv) > 0)
        .map((v) => packument.time[v.raw])
        .filter((t): t is string => Boolean(t))
        .sort()
    : [];
  const firstNewer = newer[0];
  return {
    latest,
    latestInMajor: inMajor,
    behind,
    deprecated: packument.versions[version]?.deprecated ?? false,
    daysSinceSuperseded: firstNewer ? Math.max(0, Math.floor((now.getTime() - Date.parse(firstNewer)) / (24 * 3600_000))) : null,
  };
}
