// A registry stub on 127.0.0.1 for tests: npm's bulk advisory endpoint (gzip bodies, as npm sends them), npm
// packuments, PyPI's JSON API, and a control endpoint tests use to add advisories at run time. Real HTTP, the real
// response shapes; the advisories are fixtures written for this project.
import http from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import semver from "semver";

export interface BulkAdvisory {
  id: number;
  url: string;
  title: string;
  severity: "critical" | "high" | "moderate" | "low" | "info";
  vulnerable_versions: string;
  cwe?: string[];
  cvss?: { score: number; vectorString: string | null };
}

export interface FakePackument {
  name: string;
  "dist-tags": { latest: string };
  versions: Record<
    string,
    { name: string; version: string; dependencies?: Record<string, string>; deprecated?: string; dist?: { tarball: string; integrity?: string; shasum?: string } }
  >;
  time: Record<string, string>;
}

export interface FakeRegistryOptions {
  advisories?: Record<string, BulkAdvisory[]>;
  packuments?: Record<string, FakePackument>;
  pypi?: Record<string, { version: string; releases: Record<string, string> }>;
  /** Package tarballs by URL path ("/tarballs/demo-1.0.0.tgz"). */
  tarballs?: Record<string, Buffer>;
  /** "down": refuse connections (close the server); "500"; "garbage": malformed JSON. */
  mode?: "ok" | "500" | "garbage";
}

export interface FakeRegistry {
  url: string;
  /** Bulk requests received, with the decoded body. */
  bulkRequests: Array<Record<string, string[]>>;
  packumentRequests: string[];
  options: FakeRegistryOptions;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** An ETag that changes when the document does (its length is enough for fixtures edited by tests). */
const etagOf = (doc: unknown) => `"${Buffer.from(JSON.stringify(doc).length.toString()).toString("base64")}"`;

export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const state: FakeRegistry = { url: "", bulkRequests: [], packumentRequests: [], options, close: async () => {} };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stub");
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (state.options.mode === "500") return json(500, { error: "Internal Server Error" });

    if (req.method === "POST" && url.pathname === "/-/npm/v1/security/advisories/bulk") {
      let raw = await readBody(req);
      if (req.headers["content-encoding"] === "gzip") raw = zlib.gunzipSync(raw);
      const asked = JSON.parse(raw.toString("utf8")) as Record<string, string[]>;
      state.bulkRequests.push(asked);
      if (state.options.mode === "garbage") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end("{ this is not json");
      }
      // The real endpoint answers with the advisories that hit any of the versions asked about.
      const answer: Record<string, BulkAdvisory[]> = {};
      for (const [name, versions] of Object.entries(asked)) {
        const hits = (state.options.advisories?.[name] ?? []).filter((a) =>
          versions.some((v) => semver.satisfies(v, a.vulnerable_versions, { loose: true, includePrerelease: true })),
        );
        if (hits.length > 0) answer[name] = hits;
      }
      return json(200, answer);
    }

    if (req.method === "POST" && url.pathname === "/__control/advisories") {
      const added = JSON.parse((await readBody(req)).toString("utf8")) as Record<string, BulkAdvisory[]>;
      state.options.advisories ??= {};
      for (const [name, list] of Object.entries(added))
        state.options.advisories[name] = [...(state.options.advisories[name] ?? []), ...list];
      return json(200, { ok: true });
    }

    const pypi = /^\/pypi\/([^/]+)\/json$/.exec(url.pathname);
    if (req.method === "GET" && pypi) {
      const project = state.options.pypi?.[decodeURIComponent(pypi[1]!)];
      if (!project) return json(404, { message: "Not Found" });
      const etag = etagOf(project);
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag });
        return res.end();
      }
      return json(
        200,
        {
          info: { name: decodeURIComponent(pypi[1]!), version: project.version },
          releases: Object.fromEntries(Object.entries(project.releases).map(([v, t]) => [v, [{ upload_time_iso_8601: t, yanked: false }]])),
        },
        { etag },
      );
    }

    const tarball = state.options.tarballs?.[url.pathname];
    if (req.method === "GET" && tarball) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(tarball.length) });
      return res.end(tarball);
    }

    if (req.method === "GET") {
      const name = decodeURIComponent(url.pathname.slice(1));
      state.packumentRequests.push(name);
      const doc = state.options.packuments?.[name];
      if (!doc) return json(404, { error: "Not found" });
      const etag = etagOf(doc);
      if (req.headers["if-none-match"] === etag) {
        res.writeHead(304, { etag });
        return res.end();
      }
      return json(200, doc, { etag });
    }
    json(404, { error: "Not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/**
 * Packuments for every package a v2/v3 package-lock.json locks, with the dependency ranges it records, plus extra
 * versions a test adds (newer releases for fixes and patch status).
 */
export function packumentsFromLockfile(
  lockfile: { packages?: Record<string, { version?: string; dependencies?: Record<string, string>; name?: string }> },
  extra: Array<{ name: string; version: string; dependencies?: Record<string, string>; time?: string; deprecated?: string }> = [],
): Record<string, FakePackument> {
  const out: Record<string, FakePackument> = {};
  const add = (name: string, version: string, dependencies: Record<string, string> | undefined, time: string, deprecated?: string) => {
    out[name] ??= { name, "dist-tags": { latest: version }, versions: {}, time: {} };
    const p = out[name];
    p.versions[version] = { name, version, ...(dependencies ? { dependencies } : {}), ...(deprecated ? { deprecated } : {}) };
    p.time[version] = time;
    if (semver.valid(version) && !semver.prerelease(version) && semver.gt(version, p["dist-tags"].latest)) p["dist-tags"].latest = version;
  };
  for (const [key, entry] of Object.entries(lockfile.packages ?? {})) {
    if (!key.includes("node_modules/") || !entry.version) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
    add(name, entry.version, entry.dependencies, "2024-01-01T00:00:00.000Z");
  }
  for (const e of extra) add(e.name, e.version, e.dependencies, e.time ?? "2025-06-01T00:00:00.000Z", e.deprecated);
  return out;
}
