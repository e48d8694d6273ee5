// When another process holds SQLite's write lock (a backup, a migration, someone's `sqlite3` shell), writes wait
// LAUNCH_REVIEW_DB_BUSY_TIMEOUT_MS inside SQLite and then fail with SQLITE_BUSY. better-sqlite3 is synchronous, so that
// wait stalls the whole server: it is kept short, and writes that must land (a scan's results, security events) are
// retried here without blocking, with a growing pause between tries. Users are told "the database is busy".
import { AppError, DATABASE_BUSY_MESSAGE, isDatabaseBusy } from "@/lib/core/errors";

export { isDatabaseBusy };

/** The AppError users see for a busy database; other errors pass through unchanged. */
export function busyAsAppError(error: unknown): unknown {
  return isDatabaseBusy(error) ? new AppError("unavailable:database", DATABASE_BUSY_MESSAGE) : error;
}

export interface BusyRetryOptions {
  /** Longest to keep trying, in ms. */
  withinMs?: number;
  /** First pause; each next one doubles, up to 2 s. */
  firstDelayMs?: number;
  onRetry?: (attempt: number, error: unknown) => void;
}

/** Runs `write` until it stops failing with SQLITE_BUSY or `withinMs` has passed (then throws the "busy" AppError). */
export async function retryWhenBusy<T>(write: () => T | Promise<T>, options: BusyRetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.withinMs ?? 30_000);
  let delay = options.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseBusy(error)) throw error;
      if (Date.now() + delay > deadline) throw busyAsAppError(error);
      options.onRetry?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}
