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
  return `Something went wrong${reference ? ` (ref ${reference})` : ""}.`;
}
