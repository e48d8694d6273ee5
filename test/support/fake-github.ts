// A fake GitHub for tests: a real HTTP server on 127.0.0.1 speaking the REST API's shapes and status codes for the
// endpoints Launch Review uses, plus a separate download host (another port, so another origin) for archives, as
// codeload.github.com is. Faults on demand: rate limits, 5xx, broken downloads, bad tokens, private repositories.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { commitShaFor, repositoryEntries, tarGz } from "./tar-builder";

/** A commit's content: files (archived the way GitHub does), or a ready-made archive (hostile tests). */
export type FakeTree =
  { files: Record<string, string | Uint8Array>; sha?: string } | { archive: () => Promise<Buffer>; sha?: string; files?: undefined };

export interface FakeRepoOptions {
  owner: string;
  name: string;
  private?: boolean;
  defaultBranch?: string;
  /** Branch name -> content. No branches: an empty repository. */
  branches?: Record<string, FakeTree>;
  tags?: Record<string, FakeTree>;
}

export interface RecordedRequest {
  host: "api" | "download";
  method: string;
  path: string;
  /** Whether an Authorization header arrived (the download host must never get one). */
  authorization: boolean;
  accept: string | undefined;
  userAgent: string | undefined;
}

interface Fault {
  /** "archive": the tarball request's redirect (kept apart from the API's faults, which the first request takes). */
  host: "api" | "download" | "archive";
  kind: "status" | "truncate" | "stall" | "drip" | "redirect";
  status?: number;
  location?: string;
}

interface RepoState {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  branches: Map<string, string>;
  tags: Map<string, string>;
  commits: Map<string, { tree: FakeTree; archive?: Promise<Buffer> }>;
}

const DOCS = "https://docs.github.com/rest";

export interface FakeGitHubOptions {
  /** Serve the API under a path, as GitHub Enterprise Server does ("/api/v3"). */
  basePath?: string;
  /** The web address repositories' html_url point at. */
  htmlBase?: string;
  port?: number;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly #repos = new Map<string, RepoState>();
  readonly #tokens = new Map<string, Set<string>>();
  readonly #downloadTokens = new Map<string, string>();
  readonly #faults: Fault[] = [];
  #rateLimitedUntil: Date | null = null;
  #secondaryRetryAfter: number | null = null;
  #nextId = 1000;
  readonly #basePath: string;
  readonly #htmlBase: string;
  #api!: http.Server;
  #download!: http.Server;
  apiUrl = "";
  downloadUrl = "";

  private constructor(options: FakeGitHubOptions) {
    this.#basePath = (options.basePath ?? "").replace(/\/+$/, "");
    this.#htmlBase = (options.htmlBase ?? "https://github.com").replace(/\/+$/, "");
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const fake = new FakeGitHub(options);
    fake.#api = http.createServer((req, res) => void fake.#handleApi(req, res).catch((e) => fake.#crash(res, e)));
    fake.#download = http.createServer((req, res) => void fake.#handleDownload(req, res).catch((e) => fake.#crash(res, e)));
    const listen = (server: http.Server, port: number) =>
      new Promise<number>((resolve) => server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
    const apiPort = await listen(fake.#api, options.port ?? 0);
    const downloadPort = await listen(fake.#download, 0);
    fake.apiUrl = `http://127.0.0.1:${apiPort}${fake.#basePath}`;
    fake.downloadUrl = `http://127.0.0.1:${downloadPort}`;
    return fake;
  }

  async close(): Promise<void> {
    const stop = (server: http.Server) =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    await Promise.all([stop(this.#api), stop(this.#download)]);
  }

  /** Registers a repository; returns each branch's and tag's head SHA. */
  addRepo(options: FakeRepoOptions): Record<string, string> {
    const state: RepoState = {
      id: this.#nextId++,
      owner: options.owner,
      name: options.name,
      private: options.private ?? false,
      defaultBranch: options.defaultBranch ?? "main",
      branches: new Map(),
      tags: new Map(),
      commits: new Map(),
    };
    this.#repos.set(`${options.owner}/${options.name}`.toLowerCase(), state);
    const heads: Record<string, string> = {};
    for (const [branch, tree] of Object.entries(options.branches ?? {})) heads[branch] = this.#commit(state, state.branches, branch, tree);
    for (const [tag, tree] of Object.entries(options.tags ?? {})) heads[tag] = this.#commit(state, state.tags, tag, tree);
    return heads;
  }

  /** A new commit on a branch (a push); returns its SHA. */
  push(repository: string, branch: string, tree: FakeTree): string {
    return this.#commit(this.#repo(repository), this.#repo(repository).branches, branch, tree);
  }

  /** Builds every archive of a repository now, so the first download is not slowed by building it. */
  async warm(repository: string): Promise<void> {
    const state = this.#repo(repository);
    for (const sha of state.commits.keys()) await this.#archiveOf(state, sha);
  }

  headOf(repository: string, branch: string): string {
    const sha = this.#repo(repository).branches.get(branch);
    if (!sha) throw new Error(`no branch ${branch} in ${repository}`);
    return sha;
  }

  /** A token that can read these private repositories (any token can read public ones). */
  addToken(token: string, repositories: string[] = []): void {
    this.#tokens.set(token, new Set(repositories.map((r) => r.toLowerCase())));
  }

  /** Every API request answers 403 with x-ratelimit-remaining: 0 until `until`; null lifts it. */
  rateLimit(until: Date | null): void {
    this.#rateLimitedUntil = until;
  }

  /** Every API request answers 403 with retry-after (a secondary rate limit); null lifts it. */
  secondaryRateLimit(retryAfterSeconds: number | null): void {
    this.#secondaryRetryAfter = retryAfterSeconds;
  }

  /** The next `count` requests to `host` answer `status` (502 by default). */
  failNext(count: number, options: { status?: number; host?: "api" | "download" } = {}): void {
    for (let i = 0; i < count; i++) this.#faults.push({ host: options.host ?? "api", kind: "status", status: options.status ?? 502 });
  }

  /** The next download sends half the archive, then drops the connection. */
  truncateNextDownload(): void {
    this.#faults.push({ host: "download", kind: "truncate" });
  }

  /** The next download sends headers and a little data, then nothing more. */
  stallNextDownload(): void {
    this.#faults.push({ host: "download", kind: "stall" });
  }

  /** The next tarball request redirects to `location` instead of the download host. */
  redirectNextArchiveTo(location: string): void {
    this.#faults.push({ host: "archive", kind: "redirect", location });
  }

  /** The next download sends one byte every `everyMs` for as long as the client keeps listening. */
  dripNextDownload(everyMs = 200): void {
    this.#faults.push({ host: "download", kind: "drip", status: everyMs });
  }

  apiRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.host === "api");
  }

  #repo(repository: string): RepoState {
    const repo = this.#repos.get(repository.toLowerCase());
    if (!repo) throw new Error(`no fake repository ${repository}`);
    return repo;
  }

  #commit(state: RepoState, refs: Map<string, string>, name: string, tree: FakeTree): string {
    const sha =
      tree.sha ?? (tree.files ? commitShaFor(tree.files, `${state.owner}/${state.name}`) : commitShaFor({ name }, `archive:${state.id}`));
    state.commits.set(sha, { tree });
    refs.set(name, sha);
    return sha;
  }

  #archiveOf(state: RepoState, sha: string): Promise<Buffer> {
    const commit = state.commits.get(sha)!;
    commit.archive ??= commit.tree.files
      ? tarGz(repositoryEntries(commit.tree.files), { prefix: `${state.owner}-${state.name}-${sha.slice(0, 7)}/`, comment: sha })
      : commit.tree.archive();
    return commit.archive;
  }

  #resolve(state: RepoState, ref: string): string | null {
    if (state.branches.has(ref)) return state.branches.get(ref)!;
    if (state.tags.has(ref)) return state.tags.get(ref)!;
    for (const prefix of ["refs/heads/", "heads/"])
      if (ref.startsWith(prefix) && state.branches.has(ref.slice(prefix.length))) return state.branches.get(ref.slice(prefix.length))!;
    for (const prefix of ["refs/tags/", "tags/"])
      if (ref.startsWith(prefix) && state.tags.has(ref.slice(prefix.length))) return state.tags.get(ref.slice(prefix.length))!;
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      const matches = [...state.commits.keys()].filter((sha) => sha.startsWith(ref));
      if (matches.length === 1) return matches[0]!;
    }
    return null;
  }

  #record(host: RecordedRequest["host"], req: http.IncomingMessage): void {
    this.requests.push({
      host,
      method: req.method ?? "GET",
      path: req.url ?? "",
      authorization: req.headers.authorization !== undefined,
      accept: req.headers.accept,
      userAgent: req.headers["user-agent"],
    });
  }

  #takeFault(host: Fault["host"]): Fault | undefined {
    const index = this.#faults.findIndex((f) => f.host === host);
    return index === -1 ? undefined : this.#faults.splice(index, 1)[0];
  }

  #crash(res: http.ServerResponse, error: unknown): void {
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`fake GitHub crashed: ${String(error)}`);
    } else res.destroy();
  }

  #json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": String(Buffer.byteLength(text)),
      "x-github-media-type": "github.v3; format=json",
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      ...headers,
    });
    res.end(text);
  }

  #error(res: http.ServerResponse, status: number, message: string, doc: string, headers: Record<string, string> = {}): void {
    this.#json(res, status, { message, documentation_url: doc, status: String(status) }, headers);
  }

  async #handleApi(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.#record("api", req);
    const url = new URL(req.url ?? "/", "http://fake");
    const fault = this.#takeFault("api");
    if (fault?.kind === "status") {
      res.writeHead(fault.status!, { "content-type": "text/html" });
      res.end("<html><body><h1>Unicorn!</h1><p>This page is taking too long to load.</p></body></html>");
      return;
    }

    // Authentication first, as GitHub does: an unknown token is a 401 on every endpoint.
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim() ?? null;
    if (token !== null && !this.#tokens.has(token)) {
      return this.#error(res, 401, "Bad credentials", DOCS);
    }
    const limit = token ? 5000 : 60;
    const resetAt = this.#rateLimitedUntil ?? new Date(Date.now() + 3600_000);
    const rateHeaders = (remaining: number) => ({
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(remaining),
      "x-ratelimit-reset": String(Math.floor(resetAt.getTime() / 1000)),
      "x-ratelimit-used": String(limit - remaining),
      "x-ratelimit-resource": "core",
    });
    if (this.#rateLimitedUntil && this.#rateLimitedUntil.getTime() > Date.now()) {
      const who = token ? "user ID 1" : "127.0.0.1";
      return this.#error(
        res,
        403,
        `API rate limit exceeded for ${who}.${token ? "" : " (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"}`,
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        rateHeaders(0),
      );
    }
    if (this.#secondaryRetryAfter !== null) {
      return this.#error(
        res,
        403,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        { ...rateHeaders(limit - 1), "retry-after": String(this.#secondaryRetryAfter) },
      );
    }
    const headers = rateHeaders(limit - 1 - (this.requests.length % limit));

    const path = url.pathname.startsWith(this.#basePath) ? url.pathname.slice(this.#basePath.length) : "";
    const match = /^\/repos\/([^/]+)\/([^/]+)(?:\/(commits|tarball)\/(.+))?$/.exec(path);
    if (req.method !== "GET" || !match) return this.#error(res, 404, "Not Found", DOCS, headers);
    const [, owner, name, kind, rawRef] = match;
    const state = this.#repos.get(`${decodeURIComponent(owner!)}/${decodeURIComponent(name!)}`.toLowerCase());
    // Private repositories look exactly like missing ones without the right token.
    const readable =
      state && (!state.private || (token !== null && this.#tokens.get(token)!.has(`${state.owner}/${state.name}`.toLowerCase())));
    if (!state || !readable) {
      const doc =
        kind === "commits"
          ? `${DOCS}/commits/commits#get-a-commit`
          : kind
            ? `${DOCS}/repos/contents#download-a-repository-archive-tar`
            : `${DOCS}/repos/repos#get-a-repository`;
      return this.#error(res, 404, "Not Found", doc, headers);
    }
    if (!kind) return this.#json(res, 200, this.#repoJson(state), headers);

    const ref = decodeURIComponent(rawRef!);
    if (kind === "commits") {
      if (state.commits.size === 0)
        return this.#error(res, 409, "Git Repository is empty.", `${DOCS}/commits/commits#get-a-commit`, headers);
      const sha = this.#resolve(state, ref);
      if (!sha) return this.#error(res, 422, `No commit found for SHA: ${ref}`, `${DOCS}/commits/commits#get-a-commit`, headers);
      if ((req.headers.accept ?? "").includes(".sha")) {
        res.writeHead(200, {
          "content-type": "application/vnd.github.sha; charset=utf-8",
          "x-github-media-type": "github.v3; param=sha",
          ...headers,
        });
        res.end(sha);
        return;
      }
      return this.#json(res, 200, this.#commitJson(state, sha), headers);
    }

    // tarball: a redirect to the download host; private archives carry a short-lived token in the query, as codeload's do.
    const sha = this.#resolve(state, ref);
    if (!sha) return this.#error(res, 404, "Not Found", `${DOCS}/repos/contents#download-a-repository-archive-tar`, headers);
    let location = `${this.downloadUrl}/${state.owner}/${state.name}/legacy.tar.gz/${encodeURIComponent(ref)}`;
    const redirect = this.#takeFault("archive");
    if (redirect?.location) location = redirect.location;
    if (state.private) {
      const temporary = `GHSAT0${randomBytes(12).toString("hex").toUpperCase()}`;
      this.#downloadTokens.set(temporary, `${state.owner}/${state.name}`.toLowerCase());
      location += `?token=${temporary}`;
    }
    res.writeHead(302, { location, "content-length": "0", ...headers });
    res.end();
  }

  async #handleDownload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.#record("download", req);
    const url = new URL(req.url ?? "/", "http://fake");
    const fault = this.#takeFault("download");
    if (fault?.kind === "status") {
      res.writeHead(fault.status!, { "content-type": "text/plain" });
      res.end("upstream error");
      return;
    }
    const match = /^\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/(.+)$/.exec(url.pathname);
    const state = match ? this.#repos.get(`${match[1]}/${match[2]}`.toLowerCase()) : undefined;
    const sha = state && match ? this.#resolve(state, decodeURIComponent(match[3]!)) : null;
    const allowed =
      state &&
      (!state.private || this.#downloadTokens.get(url.searchParams.get("token") ?? "") === `${state.owner}/${state.name}`.toLowerCase());
    if (!state || !sha || !allowed) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("404: Not Found");
      return;
    }
    const archive = await this.#archiveOf(state, sha);
    res.writeHead(200, {
      "content-type": "application/x-gzip",
      "content-length": String(archive.length),
      "content-disposition": `attachment; filename=${state.owner}-${state.name}-${sha.slice(0, 7)}.tar.gz`,
      etag: `"${sha}"`,
    });
    if (fault?.kind === "truncate") {
      res.write(archive.subarray(0, Math.floor(archive.length / 2)), () => res.destroy());
      return;
    }
    if (fault?.kind === "stall") {
      res.write(archive.subarray(0, Math.min(1024, archive.length)));
      return; // never ends; the client's idle timeout has to notice
    }
    if (fault?.kind === "drip") {
      // A byte at a time, never more: resets any idle timeout, so only a total one ends it.
      for (let offset = 0; offset < archive.length && !res.destroyed; offset++) {
        res.write(archive.subarray(offset, offset + 1));
        await new Promise((r) => setTimeout(r, fault.status ?? 200));
      }
      return;
    }
    // Stream in slices so clients see a download, not one buffer.
    for (let offset = 0; offset < archive.length; offset += 256 * 1024) {
      if (!res.write(archive.subarray(offset, offset + 256 * 1024))) await new Promise((r) => res.once("drain", r));
      if (res.destroyed) return;
    }
    res.end();
  }

  #repoJson(state: RepoState) {
    const full = `${state.owner}/${state.name}`;
    const api = `${this.apiUrl}/repos/${full}`;
    return {
      id: state.id,
      node_id: `R_kgDO${state.id}`,
      name: state.name,
      full_name: full,
      private: state.private,
      owner: {
        login: state.owner,
        id: 1,
        type: "Organization",
        html_url: `${this.#htmlBase}/${state.owner}`,
        url: `${this.apiUrl}/users/${state.owner}`,
      },
      html_url: `${this.#htmlBase}/${full}`,
      description: null,
      fork: false,
      url: api,
      archive_url: `${api}/{archive_format}{/ref}`,
      commits_url: `${api}/commits{/sha}`,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
      pushed_at: "2026-01-01T00:00:00Z",
      size: 42,
      default_branch: state.defaultBranch,
      visibility: state.private ? "private" : "public",
      archived: false,
      disabled: false,
    };
  }

  #commitJson(state: RepoState, sha: string) {
    const full = `${state.owner}/${state.name}`;
    const who = { name: "Fixture Author", email: "fixture@example.invalid", date: "2026-01-01T00:00:00Z" };
    return {
      sha,
      node_id: `C_${sha.slice(0, 12)}`,
      commit: {
        author: who,
        committer: who,
        message: "Fixture commit",
        tree: { sha: sha.split("").reverse().join(""), url: `${this.apiUrl}/repos/${full}/git/trees/${sha}` },
        url: `${this.apiUrl}/repos/${full}/git/commits/${sha}`,
        comment_count: 0,
        verification: { verified: false, reason: "unsigned", signature: null, payload: null },
      },
      url: `${this.apiUrl}/repos/${full}/commits/${sha}`,
      html_url: `${this.#htmlBase}/${full}/commit/${sha}`,
      author: null,
      committer: null,
      parents: [],
      stats: { total: 0, additions: 0, deletions: 0 },
      files: [],
    };
  }
}
