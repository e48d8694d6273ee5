// Deadlines for a download: an idle one (no byte for N seconds: the server hangs) and a total one (the whole response,
// headers and body, within M seconds: the server drips a byte a second). Either aborts the request with a
// DownloadTimeoutError that says which, so the caller can tell the user what happened.

export class DownloadTimeoutError extends Error {
  constructor(
    readonly kind: "idle" | "total",
    readonly timeoutMs: number,
  ) {
    const seconds = timeoutMs >= 10_000 ? Math.round(timeoutMs / 1000) : Math.round(timeoutMs / 100) / 10;
    super(kind === "idle" ? `no data arrived for ${seconds} s` : `the download took longer than ${seconds} s`);
    // "TimeoutError", like AbortSignal.timeout's, so existing handling of timeouts applies.
    this.name = "TimeoutError";
  }
}

export interface DownloadDeadlines {
  /** Longest wait for the response's headers, and then between two chunks of its body. */
  idleMs: number;
  /** Longest the whole response may take, from the request to its last byte. */
  totalMs: number;
}

/** fetch with both deadlines; `onRequest` is told of every request sent. */
export function fetchWithDeadlines(
  deadlines: DownloadDeadlines,
  onRequest?: (method: string, url: string) => void,
  base: typeof fetch = fetch,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    onRequest?.(init?.method ?? "GET", url);
    const controller = new AbortController();
    let stream: TransformStreamDefaultController<Uint8Array> | undefined;
    const abort = (kind: "idle" | "total", ms: number) => {
      const reason = new DownloadTimeoutError(kind, ms);
      controller.abort(reason);
      // The reader sees which deadline passed, whatever the HTTP client turns an abort into.
      stream?.error(reason);
    };
    const timer = (kind: "idle" | "total", ms: number) => {
      const t = setTimeout(() => abort(kind, ms), ms);
      t.unref?.();
      return t;
    };
    let idleTimer = timer("idle", deadlines.idleMs);
    const totalTimer = timer("total", deadlines.totalMs);
    const clear = () => {
      clearTimeout(idleTimer);
      clearTimeout(totalTimer);
    };
    const restartIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = timer("idle", deadlines.idleMs);
    };
    const signal = init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    let response: Response;
    try {
      response = await base(input, { ...init, signal });
    } catch (error) {
      clear();
      throw controller.signal.reason instanceof DownloadTimeoutError ? controller.signal.reason : error;
    }
    if (!response.body) {
      clear();
      return response;
    }
    restartIdle();
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        start(c) {
          stream = c;
        },
        transform(chunk, out) {
          restartIdle();
          out.enqueue(chunk);
        },
        flush() {
          clear();
        },
      }),
    );
    const wrapped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    // Octokit reports the final URL (after a redirect); a new Response would otherwise say "".
    Object.defineProperty(wrapped, "url", { value: response.url });
    return wrapped;
  };
}
