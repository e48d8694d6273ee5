// Reads a GitHub repository at a pinned commit in at most three API requests, whatever its size: the repository
// (default branch, web URL), the ref's commit SHA, and one tarball of that commit, unpacked in memory.
import { attemptsFor, createGitHubClient, githubApiUrl, githubWebUrl } from "../github/client";
import { gitHubAppError, withoutToken, type GitHubErrorContext } from "../github/errors";
import { AppError } from "../errors";
import { DownloadTimeoutError } from "../http/download-deadlines";
import { SnapshotBuilder } from "../snapshot";
import { assertValidRef, normalizeSubdirectory, parseGitHubRepository } from "./parse";
import { archiveTooLarge, unpackTarball } from "./tarball";
import { DEFAULT_ARCHIVE_LIMITS, type SourceOptions, type SourceResult, type SourceSpec } from "./types";

type GitHubSpec = Extract<SourceSpec, { kind: "github" }>;

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The repository's page, from the API's html_url when it is a plain web URL, else derived from the API URL. */
function repositoryWebUrl(htmlUrl: unknown, apiUrl: string, repository: string): string {
  if (typeof htmlUrl === "string" && htmlUrl.length < 2048) {
    try {
      const url = new URL(htmlUrl);
      if ((url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password && !url.search && !url.hash) {
        return url.href.replace(/\/+$/, "");
      }
    } catch {
      // fall through to the derived URL
    }
  }
  return `${githubWebUrl(apiUrl)}/${repository}`;
}

export async function readGitHubRepository(spec: GitHubSpec, options: SourceOptions): Promise<SourceResult> {
  const { repository } = parseGitHubRepository(spec.repository);
  const [owner, repo] = repository.split("/") as [string, string];
  const subdirectory = normalizeSubdirectory(spec.subdirectory ?? "");
  const requestedRef = spec.ref ? assertValidRef(spec.ref) : null;
  const apiUrl = (spec.apiUrl ?? githubApiUrl()).replace(/\/+$/, "");
  const token = spec.token || null;
  const archiveLimits = options.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS;
  const signal = options.signal;

  let requests = 0;
  const clientOptions = {
    baseUrl: apiUrl,
    token,
    onRequest: () => {
      requests += 1;
    },
    retries: options.github?.retries,
    retryBaseDelayMs: options.github?.retryBaseDelayMs,
    timeoutMs: options.github?.timeoutMs,
    totalTimeoutMs: options.github?.totalTimeoutMs,
  };
  const client = createGitHubClient(clientOptions);
  const context: GitHubErrorContext = {
    repository,
    stage: "repository",
    hasToken: token !== null,
    apiUrl,
    attempts: attemptsFor(clientOptions),
    tokenHint: spec.tokenHint,
  };
  const fail = (error: unknown): never => {
    if (signal.aborted) throw signal.reason;
    throw withoutToken(gitHubAppError(error, context), token);
  };

  // 1. The repository: its default branch and web URL.
  const meta = await client.rest.repos.get({ owner, repo, request: { signal } }).catch(fail);
  const ref = requestedRef ?? meta.data.default_branch;
  const webUrl = repositoryWebUrl(meta.data.html_url, apiUrl, repository);

  // 2. The ref's commit, as a bare SHA (the "sha" media type: a few bytes instead of a commit with its diff).
  context.stage = "ref";
  context.ref = ref;
  const resolved = await client.rest.repos.getCommit({ owner, repo, ref, mediaType: { format: "sha" }, request: { signal } }).catch(fail);
  const raw: unknown = resolved.data;
  const commit = (typeof raw === "string" ? raw : raw instanceof ArrayBuffer ? new TextDecoder().decode(raw) : "").trim();
  if (!SHA.test(commit)) throw new AppError("github:unexpected", `GitHub did not return a commit SHA for "${ref}" in ${repository}.`);
  options.onCommit?.(commit, ref);

  // 3. One tarball of exactly that commit. GitHub answers 302 to a download host; fetch follows it and, the host
  // being another origin, drops the Authorization header on the way.
  context.stage = "archive";
  context.ref = commit.slice(0, 7);
  const archive = await client.rest.repos
    .downloadTarballArchive({ owner, repo, ref: commit, request: { signal, parseSuccessResponseBody: false } })
    .catch(fail);
  const body = archive.data as unknown as ReadableStream<Uint8Array> | null;
  const describe = `${repository} at ${commit.slice(0, 7)}`;
  if (!body) throw new AppError("archive:invalid", `GitHub sent an empty archive of ${describe}. Scan again.`);
  const declared = Number(archive.headers["content-length"]);
  if (Number.isFinite(declared) && declared > archiveLimits.maxArchiveBytes) {
    await body.cancel().catch(() => {});
    throw archiveTooLarge(describe, archiveLimits.maxArchiveBytes, "LAUNCH_REVIEW_MAX_ARCHIVE_BYTES", "download");
  }

  const builder = new SnapshotBuilder(options.limits);
  try {
    const unpacked = await unpackTarball(body, {
      builder,
      subdirectory,
      limits: archiveLimits,
      signal,
      onProgress: options.onProgress,
      describe,
    });
    if (!unpacked.sawSubdirectory) {
      throw new AppError("invalid:subdirectory", `${repository} has no folder "${subdirectory}" at ${commit.slice(0, 7)} (${ref}).`);
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof AppError) throw withoutToken(error, token);
    if (error instanceof DownloadTimeoutError) {
      throw new AppError(
        "github:timeout",
        `The download of ${describe} from GitHub was stopped: ${error.message}. Try again later; ${
          error.kind === "idle" ? "LAUNCH_REVIEW_DOWNLOAD_IDLE_SECONDS" : "LAUNCH_REVIEW_DOWNLOAD_TIMEOUT_SECONDS"
        } sets the limit.`,
      );
    }
    // The body broke off mid-way (connection reset).
    throw new AppError("github:unavailable", `The download of ${describe} from GitHub broke off. Try again later.`);
  }

  return {
    snapshot: builder.build(commit),
    source: { kind: "github", repository, ref, commit, subdirectory, webUrl },
    githubRequests: requests,
  };
}
