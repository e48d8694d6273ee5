// Structured JSON logs. Tokens, cookies, authorization headers and email addresses are redacted wherever they sit.
import pino, { type Logger } from "pino";

export type { Logger };

const REDACT_PATHS = [
  "token",
  "*.token",
  "accessToken",
  "*.accessToken",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "cookie",
  "*.cookie",
  "headers.cookie",
  "*.headers.cookie",
  'headers["set-cookie"]',
  "email",
  "*.email",
];

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;

function createRoot(): Logger {
  const level = process.env.LAUNCH_REVIEW_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");
  return pino({
    level,
    base: { service: "launch-review" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    // Emails inside free-text messages are masked too, not only email fields.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === "string" ? a.replace(EMAIL, "[email]") : a)) as Parameters<typeof method>);
      },
    },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

const globalForLogger = globalThis as unknown as { launchReviewLogger?: Logger };

/** A child logger for one module: `logger("scan")`. */
export function logger(module: string, bindings: Record<string, unknown> = {}): Logger {
  globalForLogger.launchReviewLogger ??= createRoot();
  return globalForLogger.launchReviewLogger.child({ module, ...bindings });
}

/** Replaces the root logger (tests capture output with a destination of their own). */
export function setRootLogger(root: Logger | undefined): void {
  globalForLogger.launchReviewLogger = root;
}

export { REDACT_PATHS, EMAIL as EMAIL_PATTERN };
