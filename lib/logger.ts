// Structured JSON logs with a correlation id. Tokens, passwords, cookies, authorization headers and email
// addresses are redacted wherever they sit: by key (pino's redact paths) and by shape (any string value).
import pino, { type DestinationStream, type Logger } from "pino";
import { redactSecrets } from "./engine/secrets";

export type { Logger };

export const REDACT_PATHS = [
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
  "*.headers['set-cookie']",
  "email",
  "*.email",
];

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
const BEARER = /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const API_TOKEN = /\blrt_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{20,}/g;

/** Masks emails, bearer credentials and well-known token formats in free text. */
export function scrubText(text: string): string {
  return redactSecrets(text.replace(EMAIL, "[email]").replace(BEARER, "$1 [redacted]").replace(API_TOKEN, "lrt_[redacted]"));
}

/** Applies scrubText to every string in a log record, to a bounded depth and breadth. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return scrubText(value.length > 10_000 ? `${value.slice(0, 10_000)}…` : value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => scrub(v, depth + 1));
  if (value instanceof Error)
    return { type: value.name, message: scrubText(value.message), stack: value.stack ? scrubText(value.stack) : undefined };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 200)) out[k] = scrub(v, depth + 1);
  return out;
}

export function createLogger(destination?: DestinationStream, level?: string): Logger {
  const resolvedLevel = level ?? process.env.LAUNCH_REVIEW_LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info");
  return pino(
    {
      level: resolvedLevel,
      base: { service: "launch-review" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: {
        level: (label) => ({ level: label }),
        log: (record) => scrub(record) as Record<string, unknown>,
      },
      hooks: {
        // The message string is not part of the record the formatter sees.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrubText(a) : a)) as Parameters<typeof method>);
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

const globalForLogger = globalThis as unknown as { launchReviewLogger?: Logger };

/** A child logger for one module: `logger("scan")`. Bind `correlationId` with `.child()` per request or scan. */
export function logger(module: string, bindings: Record<string, unknown> = {}): Logger {
  globalForLogger.launchReviewLogger ??= createLogger();
  return globalForLogger.launchReviewLogger.child({ module, ...bindings });
}

/** Replaces the root logger (tests capture output with a destination of their own). */
export function setRootLogger(root: Logger | undefined): void {
  globalForLogger.launchReviewLogger = root;
}
