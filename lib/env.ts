// Configuration, parsed once from the environment. A bad value stops the start with a clear message.
import path from "node:path";
import { z } from "zod";
import { databasePath as configuredDatabasePath, projectRoot as installRoot } from "@/db/config";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  DATABASE_PATH: z.string().min(1).default("./data/launch-review.db"),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  LAUNCH_REVIEW_LOCAL_ROOT: z.string().min(1).optional(),
  LAUNCH_REVIEW_SECRET: z.string().min(1).optional(),
  LAUNCH_REVIEW_SEED_DEMO: z.enum(["0", "1"]).default("1"),
  LAUNCH_REVIEW_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LAUNCH_REVIEW_MAX_FILES: positiveInt(20_000),
  LAUNCH_REVIEW_MAX_TOTAL_BYTES: positiveInt(256 * 1024 * 1024),
  LAUNCH_REVIEW_MAX_FILE_BYTES: positiveInt(8 * 1024 * 1024),
  LAUNCH_REVIEW_MAX_ARCHIVE_BYTES: positiveInt(100 * 1024 * 1024),
  LAUNCH_REVIEW_MAX_UNPACKED_BYTES: positiveInt(1024 * 1024 * 1024),
  LAUNCH_REVIEW_SCAN_TIMEOUT_MS: positiveInt(10 * 60 * 1000),
  LAUNCH_REVIEW_SCAN_CONCURRENCY: positiveInt(2),
  /** The heap limit of one scan worker (V8's old generation, in MB): a scan that needs more is stopped. */
  LAUNCH_REVIEW_SCAN_MEMORY_MB: z.coerce.number().int().min(64).max(65_536).default(2048),
  /** A GitHub request (the archive download included) that sends no byte for this long is stopped. */
  LAUNCH_REVIEW_DOWNLOAD_IDLE_SECONDS: positiveInt(30),
  /** A GitHub request still arriving after this long is stopped, however steadily it drips. */
  LAUNCH_REVIEW_DOWNLOAD_TIMEOUT_SECONDS: positiveInt(300),
  /** Signed-off connectors are rescanned this often so new advisories on their locked versions are noticed. */
  LAUNCH_REVIEW_ADVISORY_REFRESH_MINUTES: positiveInt(6 * 60),
  LAUNCH_REVIEW_SCHEDULER: z.enum(["0", "1"]).default("1"),
  /** Whether the app gzips its answers itself (next.config.ts reads it when the server starts; README, "Compression"). */
  LAUNCH_REVIEW_COMPRESS: z.enum(["0", "1"]).default("0"),
  /**
   * Where queued scans go: "embedded" (this process's queue and worker threads; the only choice on SQLite) or
   * "pg-boss" (jobs any worker process may take; the default on PostgreSQL).
   */
  LAUNCH_REVIEW_QUEUE: z.enum(["embedded", "pg-boss"]).optional(),
  /** Postgres deployment: whether the web process also takes scan jobs (`serve --no-worker` sets 0). */
  LAUNCH_REVIEW_WORKER: z.enum(["0", "1"]).default("1"),
  /** How long advisory answers are reused before the source is asked again. */
  LAUNCH_REVIEW_ADVISORY_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  LAUNCH_REVIEW_PYPI_URL: z.url().default("https://pypi.org"),
  /** Where users reach the app; cookies are Secure and HSTS is sent when this is https. */
  LAUNCH_REVIEW_BASE_URL: z.url().optional(),
  PORT: positiveInt(3000),
  LAUNCH_REVIEW_SESSION_MAX_HOURS: positiveInt(7 * 24),
  LAUNCH_REVIEW_SESSION_IDLE_MINUTES: positiveInt(8 * 60),
  LAUNCH_REVIEW_ADMIN_EMAIL: z.email().default("admin@launch-review.local"),
  LAUNCH_REVIEW_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  /** Number of reverse proxies in front of the app whose X-Forwarded-For entries are trusted. */
  LAUNCH_REVIEW_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /** The live view may contact loopback and private addresses (tests, local development). Metadata addresses stay refused. */
  LAUNCH_REVIEW_LIVE_ALLOW_PRIVATE: z.enum(["0", "1"]).default("0"),
});

export type Env = Readonly<
  z.infer<typeof EnvSchema> & {
    projectRoot: string;
    /** The first of localRoots: relative folder paths typed in the app are taken from here. */
    localRoot: string;
    /** LAUNCH_REVIEW_LOCAL_ROOT, split on the path delimiter (":" on Unix) like PATH. */
    localRoots: string[];
    /** The bundled demo connector, seeded at the first start: readable whatever LAUNCH_REVIEW_LOCAL_ROOT says. */
    demoFolder: string;
    /** The folders the app may scan: localRoots, then the demo folder. */
    scanRoots: string[];
    dataDir: string;
    baseUrl: string;
  }
>;

let cached: Env | undefined;

/** The parsed environment. Throws one readable error naming every bad variable. */
export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const projectRoot = installRoot();
  const databasePath = configuredDatabasePath();
  const localRoots = (parsed.data.LAUNCH_REVIEW_LOCAL_ROOT ?? path.join(projectRoot, "examples"))
    .split(path.delimiter)
    .filter(Boolean)
    .map((r) => path.resolve(/*turbopackIgnore: true*/ r));
  cached = Object.freeze({
    ...parsed.data,
    DATABASE_PATH: databasePath,
    projectRoot,
    localRoot: localRoots[0]!,
    localRoots,
    demoFolder: path.join(projectRoot, "examples", "demo-connector"),
    scanRoots: [...localRoots, path.join(projectRoot, "examples", "demo-connector")],
    dataDir: databasePath === ":memory:" ? path.resolve(/*turbopackIgnore: true*/ "data") : path.dirname(databasePath),
    baseUrl: (parsed.data.LAUNCH_REVIEW_BASE_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, ""),
  });
  return cached;
}

/** Tests change the environment between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
