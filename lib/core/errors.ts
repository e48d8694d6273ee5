// One error type for everything a user can be told about. The code is `type:surface` (the Vercel AI chatbot's
// ChatSDKError idiom): the type says what kind of failure it is, and so the HTTP status and whether to retry; the
// surface says what it concerns, and so which form field it belongs beside. `message` is plain and safe to show.

export const ERROR_TYPES = [
  "invalid",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "limit",
  "rate_limit",
  "timeout",
  "unavailable",
  "unexpected",
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** What an error concerns: a form field, a stored thing, or a service the app depends on. */
export type Surface =
  // Form fields and the things they name
  | "accept"
  | "attest"
  | "baseline"
  | "checklist"
  | "comment"
  | "connector"
  | "credentials"
  | "email"
  | "evidence"
  | "expiry"
  | "invitation"
  | "item"
  | "live_url"
  | "local_path"
  | "name"
  | "note"
  | "password"
  | "path"
  | "ref"
  | "repository"
  | "review"
  | "schedule"
  | "sign_in"
  | "sign_off"
  | "source"
  | "statement"
  | "subdirectory"
  | "team"
  | "token"
  | "user"
  | "waive"
  | "decide"
  | "webhook_url"
  | "api_token"
  // What a scan reads
  | "archive"
  | "archive_entries"
  | "commit"
  | "download"
  | "redirect"
  | "package"
  | "version"
  | "tarball"
  | "integrity"
  | "local_sources"
  | "check"
  | "snapshot"
  // Services and stores
  | "github"
  | "npm"
  | "live"
  | "database"
  | "secret"
  | "secret_key"
  | "key_rotation";

export type ErrorCode = `${ErrorType}:${Surface}`;

/** The HTTP status a route handler answers for each type of error. */
export const STATUS_OF: Record<ErrorType, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit: 413,
  rate_limit: 429,
  timeout: 504,
  unavailable: 503,
  unexpected: 502,
};

export class AppError extends Error {
  readonly type: ErrorType;
  readonly surface: Surface;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
    const [type, surface] = code.split(":") as [ErrorType, Surface];
    this.type = type;
    this.surface = surface;
  }

  get status(): number {
    return STATUS_OF[this.type];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A message safe to show a user: AppError messages as written, anything else generic with a reference. */
export function publicMessage(error: unknown, reference?: string): string {
  if (isAppError(error)) return error.message;
  if (isDatabaseBusy(error)) return DATABASE_BUSY_MESSAGE;
  return `Something went wrong${reference ? ` (ref ${reference})` : ""}.`;
}

export const DATABASE_BUSY_MESSAGE = "The database is busy (another process is writing to it). Try again in a moment.";

/** Whether an error is SQLite's SQLITE_BUSY or SQLITE_LOCKED: another process holds the write lock (db/busy.ts). */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
}
