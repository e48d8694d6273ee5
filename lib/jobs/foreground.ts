// Pages first. Scan threads share the web process's cores, caches and memory bandwidth with the thread that answers
// requests, and a lower CPU priority (scan-worker.ts) doesn't share those out. So the web thread counts the requests
// it is answering in one shared integer, and a scan thread pauses between files and between checks while that count is
// above zero: a few milliseconds at a time, and never for more than half of the scan's time, so a busy server slows
// scans down but never stops them.
import diagnostics from "node:diagnostics_channel";
import type { ServerResponse } from "node:http";

/** What a scan thread needs of the count: read it, and wait for it to fall to zero. */
export interface Foreground {
  readonly inFlight: number;
  /** Blocks the calling thread until no request is in flight, or `ms` milliseconds pass. */
  waitQuiet(ms: number): void;
}

/** Requests in flight on the web thread, in shared memory: the web thread counts, scan threads read and wait. */
export class ForegroundGauge implements Foreground {
  readonly #count: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)) {
    this.#count = new Int32Array(buffer);
  }

  get inFlight(): number {
    return Atomics.load(this.#count, 0);
  }

  begin(): void {
    Atomics.add(this.#count, 0, 1);
  }

  end(): void {
    Atomics.sub(this.#count, 0, 1);
    Atomics.notify(this.#count, 0);
  }

  /** Scan threads only: the web thread must never block. */
  waitQuiet(ms: number): void {
    const deadline = performance.now() + ms;
    for (let n = this.inFlight; n > 0; n = this.inFlight) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      Atomics.wait(this.#count, 0, n, left);
    }
  }
}

/** The longest one pause lasts: about one page's render. */
export const MAX_PAUSE_MS = 25;

/**
 * The engine's `pace` hook for one scan: a pause while requests are in flight, at most `maxPauseMs` at a time, and
 * only while the scan has paused for less time than it has worked.
 */
export class Pacer {
  readonly #foreground: Foreground;
  readonly #maxPauseMs: number;
  readonly #now: () => number;
  readonly #started: number;
  #paused = 0;

  constructor(foreground: Foreground, { maxPauseMs = MAX_PAUSE_MS, now = () => performance.now() } = {}) {
    this.#foreground = foreground;
    this.#maxPauseMs = maxPauseMs;
    this.#now = now;
    this.#started = now();
  }

  /** Milliseconds this scan has given to pages so far. */
  get pausedMs(): number {
    return Math.round(this.#paused);
  }

  readonly pace = (): void => {
    if (this.#foreground.inFlight === 0) return;
    const at = this.#now();
    if (this.#paused >= at - this.#started - this.#paused) return;
    this.#foreground.waitQuiet(this.#maxPauseMs);
    this.#paused += this.#now() - at;
  };
}

const TRACKING = Symbol.for("launch-review.foreground-tracking");
const g = globalThis as unknown as { [TRACKING]?: { gauge: ForegroundGauge; onStart: (message: unknown) => void } };

/**
 * Counts this process's HTTP requests on `gauge` from when one starts until its response closes (answered or
 * abandoned), through Node's `http.server.request.start` diagnostics channel. Once per process; later calls return
 * the gauge already counting.
 */
export function trackRequests(gauge: ForegroundGauge = new ForegroundGauge()): ForegroundGauge {
  if (g[TRACKING]) return g[TRACKING].gauge;
  const onStart = (message: unknown) => {
    const response = (message as { response?: ServerResponse }).response;
    if (!response) return;
    gauge.begin();
    response.once("close", () => gauge.end());
  };
  // Held on globalThis: a channel with no strong reference to its subscriber could be collected.
  g[TRACKING] = { gauge, onStart };
  diagnostics.subscribe("http.server.request.start", onStart);
  return gauge;
}
