// The one way this product talks to GitHub: Octokit with retries on transient errors, throttling that fails fast
// on rate limits, a timeout on every request, a User-Agent naming the product, and a count of HTTP requests.
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

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

export class GitHubTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`GitHub did not answer within ${Math.round(timeoutMs / 1000)} s`);
    this.name = "TimeoutError";
  }
}

/** fetch with a timeout that covers the wait for headers and every gap between body chunks. */
export function fetchWithIdleTimeout(timeoutMs: number, onRequest?: GitHubClientOptions["onRequest"]): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    onRequest?.(init?.method ?? "GET", url);
    const idle = new AbortController();
    let timer = setTimeout(() => idle.abort(new GitHubTimeoutError(timeoutMs)), timeoutMs);
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(new GitHubTimeoutError(timeoutMs)), timeoutMs);
      timer.unref?.();
    };
    const signal = init?.signal ? AbortSignal.any([init.signal, idle.signal]) : idle.signal;
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal });
    } catch (error) {
      clearTimeout(timer);
      throw error;
    }
    if (!response.body) {
      clearTimeout(timer);
      return response;
    }
    restart();
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          restart();
          controller.enqueue(chunk);
        },
        flush() {
          clearTimeout(timer);
        },
      }),
    );
    const wrapped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    // Octokit reports the final URL (after a redirect); a new Response would otherwise say "".
    Object.defineProperty(wrapped, "url", { value: response.url });
    return wrapped;
  };
}

export function createGitHubClient(options: GitHubClientOptions = {}): GitHubClient {
  const retries = options.retries ?? 2;
  return new GitHub({
    baseUrl: (options.baseUrl ?? githubApiUrl()).replace(/\/+$/, ""),
    auth: options.token ?? undefined,
    userAgent: USER_AGENT,
    request: { fetch: fetchWithIdleTimeout(options.timeoutMs ?? 30_000, options.onRequest) },
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
