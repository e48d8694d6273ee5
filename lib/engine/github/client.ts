// The one way this product talks to GitHub: Octokit with retries on transient errors, throttling that fails fast
// on rate limits, a timeout on every request, a User-Agent naming the product, and a count of HTTP requests.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { fetchWithDeadlines } from "../sources/download-deadlines";

/** Defaults: no byte for 30 s, or a response (the archive included) still arriving after 5 minutes, is cut off. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
export const DEFAULT_TOTAL_TIMEOUT_MS = 5 * 60_000;

export const PUBLIC_GITHUB_API = "https://api.github.com";
export const USER_AGENT = "launch-review/0.1 (+https://github.com/launch-review)";

const GitHub = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof GitHub>;

/** Status codes that never get better by asking again. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

export interface GitHubClientOptions {
  /** API base URL; GitHub Enterprise Server is `https://host/api/v3`. Defaults to GITHUB_API_URL, then api.github.com. */
  baseUrl?: string;
  token?: string | null;
  /**
   * Longest wait for a response's headers, and then between two chunks of its body. A large download that keeps
   * arriving is never cut off; one that stalls is. Callers bound the total time with their own `request.signal`.
   */
  timeoutMs?: number;
  /** Longest one response may take from request to last byte, so a download that drips a byte a second ends too. */
  totalTimeoutMs?: number;
  /** Called once per HTTP request actually sent (retries included; a followed redirect is part of the same request). */
  onRequest?: (method: string, url: string) => void;
  /** Retries of 5xx answers and network errors. */
  retries?: number;
  /** Wait before the n-th retry is n² times this (1 s, 4 s, …). Tests shorten it. */
  retryBaseDelayMs?: number;
}

export function githubApiUrl(): string {
  return (process.env.GITHUB_API_URL ?? PUBLIC_GITHUB_API).replace(/\/+$/, "");
}

/** The web host of an API URL, for links to files: api.github.com -> github.com, ghe.example/api/v3 -> ghe.example. */
export function githubWebUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "api.github.com") return "https://github.com";
  return `${url.protocol}//${url.host}`;
}

/** fetch with an idle and a total deadline (lib/engine/sources/download-deadlines.ts). */
export function fetchWithIdleTimeout(
  timeoutMs: number,
  onRequest?: GitHubClientOptions["onRequest"],
  totalTimeoutMs = DEFAULT_TOTAL_TIMEOUT_MS,
): typeof fetch {
  return fetchWithDeadlines({ idleMs: timeoutMs, totalMs: totalTimeoutMs }, onRequest);
}

export function createGitHubClient(options: GitHubClientOptions = {}): GitHubClient {
  const retries = options.retries ?? 2;
  return new GitHub({
    baseUrl: (options.baseUrl ?? githubApiUrl()).replace(/\/+$/, ""),
    auth: options.token ?? undefined,
    userAgent: USER_AGENT,
    request: {
      fetch: fetchWithIdleTimeout(
        options.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        options.onRequest,
        options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
      ),
    },
    // The retry count belongs to the plugin, not to `request`: there it would retry every error, 401s and 404s included.
    retry: { doNotRetry: DO_NOT_RETRY, retries, retryAfterBaseValue: options.retryBaseDelayMs ?? 1000 },
    throttle: {
      // A scan should say "rate limited until …" rather than wait for the limit to reset: never retry these.
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

/** How many attempts a client makes at most for one request. */
export function attemptsFor(options: Pick<GitHubClientOptions, "retries">): number {
  return (options.retries ?? 2) + 1;
}
