// The embedded setup's queue: decides which queued scan runs next, a few at a time and fairly, and hands each to an
// executor: the app's pool of scan workers (lib/jobs/scan-pool.ts, installed at start-up), or inline in tests. The
// database is the queue's memory: a restart re-queues what was waiting and fails what was running (lib/startup.ts).
import { getConnector } from "@/db/queries/connectors";
import { getScan } from "@/db/queries/scans";
import { env } from "../env";
import { logger } from "../logger";
import { npmRegistryUrl } from "../engine/advisories/npm-config";
import { executeScan } from "./execute-scan";
import { nextRunnable, slotCaps, sourceHost, type SlotCaps, type SlotJob } from "./fairness";

const log = logger("scan-queue");

/** What the queue needs to know of a scan to place it: its connector and the host it reads from. */
async function describeScan(scanId: number): Promise<SlotJob | null> {
  const scan = await getScan(scanId);
  const connector = scan ? await getConnector(scan.connectorId) : undefined;
  if (!scan || !connector) return null;
  const host =
    connector.sourceKind === "local"
      ? sourceHost({ kind: "local" })
      : connector.sourceKind === "npm"
        ? sourceHost({ kind: "npm", registry: npmRegistryUrl(env().projectRoot) })
        : sourceHost({ kind: "github", apiUrl: env().GITHUB_API_URL });
  return { scanId, connectorId: connector.id, host };
}

export interface ScanQueueOptions {
  concurrency: number;
  /** Runs one scan to its end (executeScan in the app). */
  execute?: (scanId: number) => Promise<void>;
  /** The scan's connector and host; null when it is gone (it then runs, to be failed or skipped by execute). */
  describe?: (scanId: number) => Promise<SlotJob | null>;
}

/**
 * Runs queued scans, a few at a time, fairly: no connector and no host may hold every slot (lib/jobs/fairness.ts), so
 * a hanging source can't starve the others. A waiting scan that can't start yet doesn't hold up those behind it.
 */
export class ScanQueue {
  readonly #caps: SlotCaps;
  #execute: (scanId: number) => Promise<void>;
  readonly #describe: (scanId: number) => Promise<SlotJob | null>;
  readonly #running: SlotJob[] = [];
  readonly #pending: SlotJob[] = [];
  #idleWaiters: Array<() => void> = [];

  constructor(options: ScanQueueOptions) {
    this.#caps = slotCaps(options.concurrency);
    this.#execute = options.execute ?? executeScan;
    this.#describe = options.describe ?? describeScan;
  }

  /** Where scans run from now on: the app installs its worker pool at start-up; tests keep the inline default. */
  useExecutor(execute: (scanId: number) => Promise<void>): void {
    this.#execute = execute;
  }

  get concurrency(): number {
    return this.#caps.total;
  }

  /** Places the scan among the waiting ones (reading its connector first) and starts what may start. */
  async enqueue(scanId: number): Promise<void> {
    const queued = (id: number) => this.#pending.some((j) => j.scanId === id) || this.#running.some((j) => j.scanId === id);
    if (!queued(scanId)) {
      const job = (await this.#describe(scanId)) ?? { scanId, connectorId: -scanId, host: `gone:${scanId}` };
      // Another enqueue of the same scan may have placed it while this one read the database.
      if (!queued(scanId)) this.#pending.push(job);
    }
    this.#pump();
  }

  get size(): { running: number; pending: number } {
    return { running: this.#running.length, pending: this.#pending.length };
  }

  /** The scans running now, for tests and the admin view. */
  running(): number[] {
    return this.#running.map((j) => j.scanId);
  }

  /** Resolves once nothing is running or waiting (tests, and a graceful shutdown). */
  whenIdle(): Promise<void> {
    if (this.#running.length === 0 && this.#pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    if (this.#running.length === 0 && this.#pending.length === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      return;
    }
    for (;;) {
      const index = nextRunnable(this.#pending, this.#running, this.#caps);
      if (index === -1) return;
      const [job] = this.#pending.splice(index, 1) as [SlotJob];
      this.#running.push(job);
      this.#execute(job.scanId)
        .catch((error: unknown) => log.error({ err: error, scanId: job.scanId }, "scan worker crashed"))
        .finally(() => {
          this.#running.splice(this.#running.indexOf(job), 1);
          this.#pump();
        });
    }
  }
}

const globalForQueue = globalThis as unknown as { launchReviewScanQueue?: ScanQueue };

export function scanQueue(): ScanQueue {
  globalForQueue.launchReviewScanQueue ??= new ScanQueue({ concurrency: env().LAUNCH_REVIEW_SCAN_CONCURRENCY });
  return globalForQueue.launchReviewScanQueue;
}
