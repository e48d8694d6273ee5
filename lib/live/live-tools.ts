// The live view: connects to a running MCP server (Streamable HTTP, then SSE), lists its tools and resources, and
// compares them with the statically read manifest. Every request goes through the SSRF guard.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { diffWords } from "diff";
import type { ReportTool } from "../core/report";
import type { DiffPart } from "../tools/manifest-diff";
import { AppError } from "../core/errors";
import { guardedFetch } from "./guarded-fetch";
import { checkLiveUrl } from "../engine/net/url-guard";

export interface LiveTool {
  name: string;
  title: string | null;
  description: string | null;
  annotations: Record<string, unknown> | null;
  meta: Record<string, unknown> | null;
}

export interface LiveListing {
  url: string;
  transport: "streamable-http" | "sse";
  server: { name: string; version: string } | null;
  tools: LiveTool[];
  resources: Array<{ uri: string; name: string; mimeType: string | null }>;
}

export interface LiveOptions {
  token?: string;
  allowPrivate: boolean;
  timeoutMs?: number;
  maxResponseBytes?: number;
  maxTotalBytes?: number;
}

const MAX_PAGES = 20;
const MAX_ITEMS = 1000;

export async function listLiveTools(rawUrl: string, options: LiveOptions): Promise<LiveListing> {
  const url = checkLiveUrl(rawUrl, options);
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const { fetch, close } = guardedFetch({
    allowPrivate: options.allowPrivate,
    signal: deadline,
    maxResponseBytes: options.maxResponseBytes ?? 2 * 1024 * 1024,
    maxTotalBytes: options.maxTotalBytes ?? 10 * 1024 * 1024,
  });
  const requestInit: RequestInit = options.token ? { headers: { Authorization: `Bearer ${options.token}` } } : {};
  try {
    let streamableError: unknown;
    for (const transport of ["streamable-http", "sse"] as const) {
      const client = new Client({ name: "launch-review", version: "0.1.0" });
      const t =
        transport === "streamable-http"
          ? new StreamableHTTPClientTransport(url, { fetch, requestInit })
          : new SSEClientTransport(url, { fetch, requestInit, eventSourceInit: { fetch } as never });
      try {
        await withDeadline(client.connect(t), deadline);
        const listing = await withDeadline(readListing(client), deadline);
        return { url: url.href, transport, server: client.getServerVersion() ?? null, ...listing };
      } catch (error) {
        if (deadline.aborted)
          throw new AppError("timeout:live", `The server did not answer within ${Math.round((options.timeoutMs ?? 15_000) / 1000)} s.`);
        if (isGuardError(error)) throw new AppError("forbidden:live_url", guardMessage(error));
        if (transport === "sse")
          throw new AppError(
            "unavailable:live",
            `Could not list tools: ${describe(streamableError)} (Streamable HTTP); ${describe(error)} (SSE).`,
          );
        streamableError = error;
      } finally {
        await client.close().catch(() => undefined);
      }
    }
    throw new AppError("unavailable:live", "Could not connect.");
  } finally {
    await close().catch(() => undefined);
  }
}

async function readListing(client: Client): Promise<Pick<LiveListing, "tools" | "resources">> {
  const tools: LiveTool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES && tools.length < MAX_ITEMS; page++) {
    const res = await client.listTools(cursor ? { cursor } : {});
    for (const t of res.tools.slice(0, MAX_ITEMS - tools.length)) {
      tools.push({
        name: String(t.name),
        title: typeof t.title === "string" ? t.title : typeof t.annotations?.title === "string" ? t.annotations.title : null,
        description: typeof t.description === "string" ? t.description : null,
        annotations: (t.annotations as Record<string, unknown> | undefined) ?? null,
        meta: (t._meta as Record<string, unknown> | undefined) ?? null,
      });
    }
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  const resources: LiveListing["resources"] = [];
  if (client.getServerCapabilities()?.resources) {
    cursor = undefined;
    for (let page = 0; page < MAX_PAGES && resources.length < MAX_ITEMS; page++) {
      const res = await client.listResources(cursor ? { cursor } : {});
      for (const r of res.resources.slice(0, MAX_ITEMS - resources.length))
        resources.push({ uri: String(r.uri), name: String(r.name), mimeType: typeof r.mimeType === "string" ? r.mimeType : null });
      cursor = res.nextCursor;
      if (!cursor) break;
    }
  }
  return { tools, resources };
}

export interface LiveComparison {
  /** Served by the running server but not found in the code. */
  onlyLive: string[];
  /** Found in the code but not served. */
  onlyStatic: string[];
  differing: Array<{
    name: string;
    static: string | null;
    live: string | null;
    parts: DiffPart[];
  }>;
  matching: number;
}

export function compareWithStatic(staticTools: readonly ReportTool[], live: readonly LiveTool[]): LiveComparison {
  const fromCode = new Map(staticTools.map((t) => [t.name, t]));
  const served = new Map(live.map((t) => [t.name, t]));
  const differing: LiveComparison["differing"] = [];
  let matching = 0;
  for (const [name, t] of served) {
    const s = fromCode.get(name);
    if (!s) continue;
    // A description the parser could not read statically can't be compared.
    if (s.dynamic.includes("description") || (s.description ?? "") === (t.description ?? "")) matching++;
    else differing.push({ name, static: s.description, live: t.description, parts: diffWords(s.description ?? "", t.description ?? "") });
  }
  return {
    onlyLive: [...served.keys()].filter((n) => !fromCode.has(n)).sort(),
    onlyStatic: [...fromCode.keys()].filter((n) => !served.has(n) && !n.startsWith("{")).sort(),
    differing,
    matching,
  };
}

function withDeadline<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = error, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) out.push(e);
  return out;
}

function isGuardError(error: unknown): boolean {
  return causes(error).some((e) => (e as { code?: unknown }).code === "ERR_LIVE_URL_BLOCKED");
}

function guardMessage(error: unknown): string {
  const e = causes(error).find((x) => (x as { code?: unknown }).code === "ERR_LIVE_URL_BLOCKED") as Error;
  return e.message;
}

function describe(error: unknown): string {
  const messages = causes(error).map((e) => (e instanceof Error ? e.message : String(e)));
  return messages.filter(Boolean).join(": ").slice(0, 300) || "unknown error";
}
