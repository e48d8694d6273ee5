// One error type for everything a user can be told about. `code` is stable ("not_found:connector"); `message` is plain.

export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
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
