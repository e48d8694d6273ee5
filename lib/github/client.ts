// The one way this product talks to GitHub: Octokit with retries on transient errors, throttling that fails fast
// on rate limits, a timeout on every request, a User-Agent naming the product, and a count of HTTP requests.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

export const PUBLIC_GITHUB_API = "https://api.github.com";
export const USER_AGENT = "launch-review/0.1 (+https://github.com/launch-review)";

const GitHub = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof GitHub>;

export interface GitHubClientOptions {
  /** API base URL; GitHub Enterprise Server is `https://host/api/v3`. Defaults to GITHUB_API_URL, then api.github.com. */
  baseUrl?: string;
  token?: string | null;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Called once per HTTP request actually sent (retries included). */
  onRequest?: (method: string, url: string) => void;
  /** Retries of 5xx answers and network errors. */
  retries?: number;
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

export function createGitHubClient(options: GitHubClientOptions = {}): GitHubClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timedFetch: typeof fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    options.onRequest?.(init?.method ?? "GET", url);
    const signal = init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal });
  };
  return new GitHub({
    baseUrl: (options.baseUrl ?? githubApiUrl()).replace(/\/+$/, ""),
    auth: options.token ?? undefined,
    userAgent: USER_AGENT,
    request: { fetch: timedFetch, retries: options.retries ?? 2, retryAfter: 1 },
    retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451] },
    throttle: {
      // A scan should say "rate limited until …" rather than wait for the limit to reset: never retry these.
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}
