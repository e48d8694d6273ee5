// The archive download, after GitHub's redirect. GitHub answers the tarball request with a redirect to a download host;
// that redirect is followed here, not by fetch, so its target is checked first: link-local, cloud metadata and
// reserved addresses are always refused (also when a host name resolves to one, at connect time), and loopback and
// private ones too unless the API itself is not the public GitHub (an Enterprise Server's download host is usually
// internal). A refusal says what happened instead of passing for a permissions problem.
import net from "node:net";
import type { fetch as undiciFetchType } from "undici";
import { AppError } from "../../core/errors";
import { fetchWithDeadlines, type DownloadDeadlines } from "./download-deadlines";
import { blockedHostName, blockedReason, guardedLookup, type GuardOptions } from "../net/url-guard";

const PUBLIC_API_HOST = "api.github.com";

/** Whether private and loopback download hosts are acceptable for this API URL. */
export function downloadGuardFor(apiUrl: string): GuardOptions {
  return { allowPrivate: new URL(apiUrl).hostname.toLowerCase() !== PUBLIC_API_HOST };
}

/** Checks a redirect target before anything is sent there; throws an AppError that names the refused address. */
export function checkDownloadTarget(location: string | undefined, base: string, guard: GuardOptions, describe: string): URL {
  let url: URL;
  try {
    url = new URL(location ?? "", base);
  } catch {
    throw new AppError(
      "forbidden:redirect",
      `GitHub redirected the download of ${describe} to an invalid address; nothing was downloaded.`,
    );
  }
  if (!location || (url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password) {
    throw new AppError(
      "forbidden:redirect",
      `GitHub redirected the download of ${describe} to an unusable address; nothing was downloaded.`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const reason = net.isIP(host) ? blockedReason(host, guard) : blockedHostName(host, guard);
  if (reason) throw redirectRefused(describe, host, reason);
  return url;
}

function redirectRefused(describe: string, host: string, reason: string): AppError {
  return new AppError(
    "forbidden:redirect",
    `GitHub redirected the download of ${describe} to ${host}, ${reason}; the download was refused. Check GITHUB_API_URL and the network between this server and GitHub.`,
  );
}

export interface DownloadOptions {
  guard: GuardOptions;
  deadlines: DownloadDeadlines;
  signal: AbortSignal;
  describe: string;
  /** Attempts for 5xx answers and network errors, with a pause of n² × retryBaseDelayMs before the n-th retry. */
  attempts: number;
  retryBaseDelayMs: number;
  onRetry?: () => void;
}

/** GETs the archive at `url` through the address guard, with deadlines and retries; returns the streaming response. */
export async function downloadArchive(url: URL, options: DownloadOptions): Promise<Response> {
  // undici (1 MB bundled) is loaded by the scans that download an archive, not by every scan.
  const { Agent, fetch: undiciFetch } = await import("undici");
  const agent = new Agent({ connect: { lookup: guardedLookup(options.guard) as never, timeout: options.deadlines.idleMs } });
  const base = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(String(input instanceof Request ? input.url : input), {
      ...(init as object),
      dispatcher: agent,
      redirect: "error",
    } as Parameters<typeof undiciFetchType>[1])) as unknown as typeof fetch;
  const get = fetchWithDeadlines(options.deadlines, undefined, base);
  for (let attempt = 1; ; attempt++) {
    let response: Response | null = null;
    let failure: unknown = null;
    try {
      response = await get(url, { signal: options.signal, headers: { accept: "application/x-gzip, application/octet-stream" } });
    } catch (error) {
      failure = error;
    }
    if (options.signal.aborted) throw options.signal.reason;
    const blocked = blockedCause(failure);
    if (blocked) throw redirectRefused(options.describe, url.hostname, blocked);
    if (response && response.status < 500) {
      if (response.ok) return response;
      await response.body?.cancel().catch(() => {});
      throw new AppError(
        "unavailable:download",
        `GitHub's download host (${url.host}) answered ${response.status} for the archive of ${options.describe}. Scan again; if it persists, check the network to that host.`,
      );
    }
    await response?.body?.cancel().catch(() => {});
    if (attempt >= options.attempts) {
      if (failure instanceof Error && failure.name === "TimeoutError") throw failure;
      const why = response ? `answered ${response.status}` : `could not be reached (${networkCode(failure)})`;
      const tries = options.attempts === 1 ? "once" : `${options.attempts} times`;
      throw new AppError(
        "unavailable:github",
        `GitHub's download host (${url.host}) ${why}, tried ${tries}, for the archive of ${options.describe}. Try again later.`,
      );
    }
    options.onRetry?.();
    await new Promise((resolve) => setTimeout(resolve, attempt * attempt * options.retryBaseDelayMs));
  }
}

/** The guard's refusal, when the connection failed because the host name resolved to a refused address. */
function blockedCause(error: unknown): string | null {
  let cause: unknown = error;
  for (let depth = 0; depth < 5 && cause instanceof Error; depth++) {
    if ((cause as { code?: unknown }).code === "ERR_LIVE_URL_BLOCKED") {
      return /, (a [^;]+); not contacted/.exec(cause.message)?.[1] ?? "a refused address";
    }
    cause = cause.cause;
  }
  return null;
}

function networkCode(error: unknown): string {
  let cause: unknown = error;
  for (let depth = 0; depth < 5 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]{2,30}$/.test(code)) return code;
    cause = cause.cause;
  }
  return "no answer";
}
