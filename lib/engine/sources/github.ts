// Reads a GitHub repository at a pinned commit in at most three API requests, whatever its size: the repository
// (default branch, web URL), the ref's commit SHA, and one tarball of that commit, unpacked in memory.
import {
  attemptsFor,
  createGitHubClient,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_TOTAL_TIMEOUT_MS,
  githubApiUrl,
  githubWebUrl,
} from "../github/client";
import { gitHubAppError, withoutToken, type GitHubErrorContext } from "../github/errors";
import { AppError } from "../../core/errors";
import { DownloadTimeoutError } from "./download-deadlines";
import { SnapshotBuilder } from "../snapshot";
import { assertValidRef, normalizeSubdirectory, parseGitHubRepository } from "./parse";
import { checkDownloadTarget, downloadArchive, downloadGuardFor } from "./archive-download";
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
  if (!SHA.test(commit)) throw new AppError("unexpected:github", `GitHub did not return a commit SHA for "${ref}" in ${repository}.`);
  options.onCommit?.(commit, ref);

  // 3. One tarball of exactly that commit. GitHub answers 302 to a download host; the redirect is followed by
  // downloadArchive, which checks where it leads first and never sends the token there.
  context.stage = "archive";
  context.ref = commit.slice(0, 7);
  const describe = `${repository} at ${commit.slice(0, 7)}`;
  const redirect = await client.rest.repos
    .downloadTarballArchive({ owner, repo, ref: commit, request: { signal, parseSuccessResponseBody: false, redirect: "manual" } })
    .catch(fail);
  const answered = redirect as unknown as {
    status: number;
    headers: Record<string, string | undefined>;
    data: ReadableStream<Uint8Array> | null;
  };
  let archive: { headers: Record<string, string | undefined>; body: ReadableStream<Uint8Array> | null };
  if (answered.status >= 300 && answered.status < 400) {
    await answered.data?.cancel().catch(() => {});
    const guard = downloadGuardFor(apiUrl);
    const target = checkDownloadTarget(answered.headers.location, apiUrl, guard, describe);
    const response = await downloadArchive(target, {
      guard,
      deadlines: {
        idleMs: options.github?.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        totalMs: options.github?.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
      },
      signal,
      describe,
      attempts: attemptsFor(clientOptions),
      retryBaseDelayMs: options.github?.retryBaseDelayMs ?? 1000,
      onRetry: () => {
        requests += 1;
      },
    }).catch((error: unknown) => {
      if (error instanceof DownloadTimeoutError) throw downloadTimedOut(describe, error);
      throw error;
    });
    archive = { headers: Object.fromEntries(response.headers), body: response.body as ReadableStream<Uint8Array> | null };
  } else {
    archive = { headers: answered.headers, body: answered.data };
  }
  const body = archive.body;
  if (!body) throw new AppError("invalid:archive", `GitHub sent an empty archive of ${describe}. Scan again.`);
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
    if (error instanceof DownloadTimeoutError) throw downloadTimedOut(describe, error);
    // The body broke off mid-way (connection reset).
    throw new AppError("unavailable:github", `The download of ${describe} from GitHub broke off. Try again later.`);
  }

  return {
    snapshot: builder.build(commit),
    source: { kind: "github", repository, ref, commit, subdirectory, webUrl },
    githubRequests: requests,
  };
}

function downloadTimedOut(describe: string, error: DownloadTimeoutError): AppError {
  return new AppError(
    "timeout:github",
    `The download of ${describe} from GitHub was stopped: ${error.message}. Try again later; ${
      error.kind === "idle" ? "LAUNCH_REVIEW_DOWNLOAD_IDLE_SECONDS" : "LAUNCH_REVIEW_DOWNLOAD_TIMEOUT_SECONDS"
    } sets the limit.`,
  );
}
