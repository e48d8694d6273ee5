// fetch for the live view: every connection goes through the SSRF guard's lookup, redirects are refused, each response
// body is capped, and the whole session shares one deadline.
import { Agent, fetch as undiciFetch } from "undici";
import { guardedLookup, type GuardOptions } from "../engine/net/url-guard";

export interface GuardedFetchOptions extends GuardOptions {
  signal: AbortSignal;
  /** Most bytes one response body may have. */
  maxResponseBytes: number;
  /** Most bytes all responses together may have. */
  maxTotalBytes: number;
}

export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

export function guardedFetch(options: GuardedFetchOptions): { fetch: FetchLike; close: () => Promise<void> } {
  const agent = new Agent({
    connect: { lookup: guardedLookup(options) as never, timeout: 10_000 },
    headersTimeout: 15_000,
  });
  let total = 0;
  const fetch: FetchLike = async (url, init) => {
    const signals = [options.signal, init?.signal].filter((s): s is AbortSignal => Boolean(s));
    const res = await undiciFetch(String(url), {
      ...(init as object),
      dispatcher: agent,
      redirect: "error",
      signal: AbortSignal.any(signals),
    } as Parameters<typeof undiciFetch>[1]);
    if (!res.body) return res as unknown as Response;
    const limit = options.maxResponseBytes;
    let seen = 0;
    const body = res.body as unknown as ReadableStream<Uint8Array>;
    const capped = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          total += chunk.byteLength;
          if (seen > limit || total > options.maxTotalBytes)
            controller.error(new Error(`the server sent more than ${Math.round(Math.min(limit, options.maxTotalBytes) / 1024)} KB`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(capped, { status: res.status, statusText: res.statusText, headers: res.headers as unknown as Headers });
  };
  return { fetch, close: () => agent.close() };
}
