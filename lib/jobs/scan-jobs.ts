// Scans as pg-boss jobs: the queue of the Postgres deployment, where web processes only send jobs and any number of
// `launch-review worker` processes (on any machines pointed at the same database) take them. pg-boss gives what the
// embedded queue (lib/jobs/scan-queue.ts) can't across processes: a job a dead worker held comes back to another one
// (expiry, then retry with backoff), and a singleton key per connector so one connector never scans twice at once.
import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import { logger } from "../logger";

const log = logger("scan-jobs");

export const SCAN_QUEUE = "launch-review-scan";
export const SCHEDULER_QUEUE = "launch-review-scheduler";
/** pg-boss keeps its tables in their own schema, beside the app's. */
export const PG_BOSS_SCHEMA = "pgboss";

export interface ScanJobData {
  scanId: number;
}

export interface ScanJobOptions {
  /** A scan's wall-time limit: a job still active this long after it started belonged to a dead worker. */
  scanTimeoutMs: number;
  /** How often pg-boss looks for expired jobs (seconds). */
  maintenanceSeconds?: number;
  /** How many times a job a worker lost is tried again. */
  retryLimit?: number;
  /** How often an idle worker asks for a job (seconds, at least 0.5). */
  pollingSeconds?: number;
  /** How long past the scan's deadline an active job is taken for lost (seconds). */
  expiryGraceSeconds?: number;
  /** The wait before the first retry (seconds; doubled each time after). */
  retryDelaySeconds?: number;
}

/** A job still active this long after the scan's own deadline belonged to a worker that died (at most 30 s). */
const expiryGraceSeconds = (scanTimeoutMs: number) => Math.min(30, Math.ceil(scanTimeoutMs / 2000));
const RETRY_DELAY_SECONDS = 5;
const QUEUE_SETUP_ATTEMPTS = 5;

/** Postgres's `deadlock_detected`: one transaction was chosen to abort, and trying it again is the remedy. */
const isDeadlock = (error: unknown) => (error as { code?: unknown } | null)?.code === "40P01";

/** The scan queue's rules; pg-boss stores them with the queue, so every process sees the same ones. */
export function scanQueuePolicy(options: ScanJobOptions) {
  return {
    // Only one active job per singleton key (the connector), whichever worker holds it.
    policy: "singleton" as const,
    retryLimit: options.retryLimit ?? 2,
    retryDelay: options.retryDelaySeconds ?? RETRY_DELAY_SECONDS,
    retryBackoff: true,
    expireInSeconds: Math.ceil(options.scanTimeoutMs / 1000) + (options.expiryGraceSeconds ?? expiryGraceSeconds(options.scanTimeoutMs)),
  };
}

/**
 * The job id of a scan: derived from the scan id (a name-based UUID, RFC 9562 version 5 layout), so sending a scan
 * twice (a retried request, the start-up sweep of queued scans) inserts one job.
 */
export function jobIdForScan(scanId: number): string {
  const hash = createHash("sha1").update(`launch-review:scan:${scanId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface ScanAttempt {
  scanId: number;
  /** 0 the first time; more when the job comes back after a worker was lost. */
  retry: number;
}

/** The pg-boss side of scans, for one process: sending, working, the scheduler tick, stopping. */
export class ScanJobs {
  readonly #boss: PgBoss;
  readonly #options: ScanJobOptions;

  private constructor(boss: PgBoss, options: ScanJobOptions) {
    this.#boss = boss;
    this.#options = options;
  }

  /** Connects, creates pg-boss's schema and the queues when missing (safe from many processes at once). */
  static async start(connectionString: string, options: ScanJobOptions): Promise<ScanJobs> {
    const boss = new PgBoss({
      connectionString,
      schema: PG_BOSS_SCHEMA,
      application_name: "launch-review-jobs",
      max: 4,
      // Expired jobs are looked for at least twice per expiry period, and at least every 30 s.
      maintenanceIntervalSeconds: options.maintenanceSeconds ?? Math.max(1, Math.min(30, Math.floor(scanQueuePolicy(options).expireInSeconds / 2))),
    });
    boss.on("error", (error) => log.error({ err: error }, "pg-boss error"));
    await boss.start();
    const jobs = new ScanJobs(boss, options);
    await jobs.#ensureQueue(SCAN_QUEUE, scanQueuePolicy(options));
    await jobs.#ensureQueue(SCHEDULER_QUEUE, { policy: "singleton" as const, retryLimit: 0, expireInSeconds: 600 });
    return jobs;
  }

  async #ensureQueue(name: string, policy: Omit<PgBoss.Queue, "name">): Promise<void> {
    // Workers starting together on a fresh database each create the queues; pg-boss attaches a partition per queue,
    // and two of those at once can deadlock. Postgres aborts one side, which finds the queue made on its next try.
    for (let attempt = 1; ; attempt++) {
      try {
        if (await this.#boss.getQueue(name)) await this.#boss.updateQueue(name, { name, ...policy });
        else await this.#boss.createQueue(name, { name, ...policy });
        return;
      } catch (error) {
        if (!isDeadlock(error) || attempt >= QUEUE_SETUP_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
      }
    }
  }

  /** Queues a scan; sending one already queued is a no-op. */
  async send(scan: { id: number; connectorId: number }): Promise<void> {
    await this.#boss.send(SCAN_QUEUE, { scanId: scan.id } satisfies ScanJobData, {
      id: jobIdForScan(scan.id),
      singletonKey: `connector:${scan.connectorId}`,
    });
  }

  /**
   * Takes scans, `concurrency` at a time, and runs each with `execute`. A job ends when its scan has an outcome
   * (succeeded or failed, written by execute); only a worker lost mid-scan makes it come back.
   */
  async work(concurrency: number, execute: (attempt: ScanAttempt) => Promise<void>): Promise<void> {
    for (let i = 0; i < Math.max(1, concurrency); i++) {
      await this.#boss.work<ScanJobData>(
        SCAN_QUEUE,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.#options.pollingSeconds ?? 2 },
        async ([job]) => {
          if (!job) return;
          await execute({ scanId: job.data.scanId, retry: job.retryCount });
        },
      );
    }
  }

  /** Runs `tick` once a minute across the whole deployment: a pg-boss schedule, whichever worker takes it. */
  async scheduleTick(tick: () => Promise<unknown>): Promise<void> {
    await this.#boss.schedule(SCHEDULER_QUEUE, "* * * * *");
    await this.#boss.work(SCHEDULER_QUEUE, { pollingIntervalSeconds: 5 }, async () => {
      await tick();
    });
  }

  /** Stops taking jobs; with `graceful`, waits for the running ones to finish first. */
  async stop(graceful = true): Promise<void> {
    await this.#boss.stop({ graceful, wait: true, timeout: graceful ? this.#options.scanTimeoutMs : 1 });
  }

  /** The state of a scan's job, for tests and the admin view. */
  async jobOf(scanId: number): Promise<{ state: string; retryCount: number } | null> {
    const job = await this.#boss.getJobById(SCAN_QUEUE, jobIdForScan(scanId));
    return job ? { state: job.state, retryCount: job.retryCount } : null;
  }
}
