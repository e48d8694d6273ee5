// Turns what Octokit throws into one-line AppErrors a user can act on. GitHub's own wording is kept out on purpose:
// it is built for API clients, and a stray token or URL in it must never reach a page, a log line or the CLI.
import { AppError } from "../../core/errors";

/** The shape of Octokit's RequestError ("HttpError"); matched by shape so a second copy of the package can't fool `instanceof`. */
export interface HttpError extends Error {
  name: "HttpError";
  status: number;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof Error && error.name === "HttpError" && typeof (error as { status?: unknown }).status === "number";
}

export interface GitHubErrorContext {
  /** "owner/repo" */
  repository: string;
  /** What was being asked for: the repository, a ref's commit, or the archive of a commit. */
  stage: "repository" | "ref" | "archive";
  ref?: string;
  hasToken: boolean;
  apiUrl: string;
  attempts: number;
  /** Where to fix the token: "on the connector page" or "in GITHUB_TOKEN". */
  tokenHint?: string;
  now?: () => Date;
}

/** "2026-11-28 23:10 UTC" */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function inAbout(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  if (minutes <= 1) return "in about a minute";
  if (minutes < 90) return `in ${minutes} minutes`;
  return `in about ${Math.round(minutes / 60)} hours`;
}

function header(error: HttpError, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** The reset time of a primary rate limit, when the error is one. */
export function rateLimitReset(error: HttpError): Date | null {
  if (error.status !== 403 && error.status !== 429) return null;
  if (header(error, "x-ratelimit-remaining") !== "0") return null;
  const reset = Number(header(error, "x-ratelimit-reset"));
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null;
}

function isSecondaryRateLimit(error: HttpError): boolean {
  if (error.status !== 403 && error.status !== 429) return false;
  if (header(error, "retry-after") !== undefined) return true;
  const data = error.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === "string" && /secondary rate limit/i.test(data.message);
}

/** Why a request got no answer: a timeout, or the innermost system error code ("ECONNREFUSED", "ENOTFOUND"). */
function networkReason(error: HttpError): string {
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    if (cause.name === "TimeoutError") return cause.message;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]{2,30}$/.test(code)) return code;
    cause = cause.cause;
  }
  return error.message.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 120);
}

const TOKEN_ADVICE = "a fine-grained token with read-only Contents permission on this repository";

export function gitHubAppError(error: unknown, ctx: GitHubErrorContext): AppError {
  if (error instanceof AppError) return error;
  if (!isHttpError(error)) {
    return new AppError("unavailable:github", `Could not read ${ctx.repository} from GitHub at ${ctx.apiUrl}. Try again later.`);
  }
  const now = ctx.now?.() ?? new Date();
  const repo = ctx.repository;
  const tokenHint = ctx.tokenHint ?? "on the connector page";

  const reset = rateLimitReset(error);
  if (reset) {
    const who = ctx.hasToken ? "for this access token" : "for unauthenticated requests from this server";
    const advice = ctx.hasToken ? "" : ` An access token raises the limit (set one ${tokenHint}).`;
    return new AppError(
      "rate_limit:github",
      `GitHub's API rate limit ${who} is used up; it resets at ${formatUtc(reset)} (${inAbout(reset.getTime() - now.getTime())}). Scan again after that.${advice}`,
      { resetAt: reset.toISOString() },
    );
  }
  if (isSecondaryRateLimit(error)) {
    const seconds = Number(header(error, "retry-after")) || 60;
    const at = new Date(now.getTime() + seconds * 1000);
    return new AppError(
      "rate_limit:github",
      `GitHub is limiting requests from this server (secondary rate limit); try again after ${formatUtc(at)} (${inAbout(seconds * 1000)}).`,
      { resetAt: at.toISOString() },
    );
  }

  switch (error.status) {
    case 401:
      return new AppError(
        "unauthorized:github",
        ctx.hasToken
          ? `GitHub rejected the access token (401 Bad credentials): it is wrong, expired or revoked. Replace it ${tokenHint} with ${TOKEN_ADVICE}.`
          : `GitHub asked for credentials (401) to read ${repo}. Set an access token ${tokenHint}: ${TOKEN_ADVICE}.`,
      );
    case 403:
      return new AppError(
        "forbidden:github",
        ctx.hasToken
          ? `GitHub refused access to ${repo} (403): the access token lacks permission. Use ${TOKEN_ADVICE}.`
          : `GitHub refused access to ${repo} (403). Set an access token ${tokenHint}: ${TOKEN_ADVICE}.`,
      );
    case 404:
      if (ctx.stage === "repository") {
        return new AppError(
          "not_found:repository",
          ctx.hasToken
            ? `GitHub answered 404 for ${repo}: the repository does not exist, or it is private and the access token can't read it (GitHub gives the same answer for both). Check the name, and that the token has read-only Contents access to ${repo}.`
            : `GitHub answered 404 for ${repo}: the repository does not exist, or it is private and no access token is set (GitHub gives the same answer for both). Check the name, or set an access token ${tokenHint}: ${TOKEN_ADVICE}.`,
        );
      }
      if (ctx.stage === "ref") return refNotFound(ctx);
      return new AppError("not_found:repository", `GitHub has no archive of ${repo} at ${ctx.ref ?? "that commit"} (404). Scan again.`);
    case 409:
      if (ctx.stage === "ref") return new AppError("not_found:commit", `${repo} is empty: it has no commits to scan yet.`);
      break;
    case 422:
      if (ctx.stage === "ref") return refNotFound(ctx);
      break;
  }

  if (error.status >= 500 || error.status === 0) {
    const tries = ctx.attempts === 1 ? "once" : `${ctx.attempts} times`;
    if (!error.response) {
      return new AppError(
        "unavailable:github",
        `Could not reach GitHub at ${ctx.apiUrl} (${networkReason(error)}); tried ${tries}. Check the network and GITHUB_API_URL, then scan again.`,
      );
    }
    return new AppError(
      "unavailable:github",
      `GitHub is unavailable: it answered ${error.status} ${tries} while reading ${repo}. Try again later.`,
    );
  }
  return new AppError("unexpected:github", `GitHub answered ${error.status} while reading ${repo}; the scan can't continue.`);
}

function refNotFound(ctx: GitHubErrorContext): AppError {
  return new AppError(
    "not_found:ref",
    `${ctx.repository} has no branch, tag or commit named "${ctx.ref ?? ""}". Check the ref, or leave it empty to scan the default branch.`,
  );
}

/** Belt and braces: whatever a message says, it never carries the token. */
export function withoutToken<T extends Error>(error: T, token: string | null | undefined): T {
  if (!token || token.length < 4 || !error.message.includes(token)) return error;
  error.message = error.message.split(token).join("[token]");
  return error;
}
