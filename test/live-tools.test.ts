// The live view against small MCP servers of our own on 127.0.0.1: Streamable HTTP, SSE fallback, the SSRF guard,
// response limits and timeouts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { compareWithStatic, listLiveTools } from "@/lib/live/live-tools";
import { checkLiveUrl, guardedLookup } from "@/lib/engine/net/url-guard";
import type { ReportTool } from "@/lib/core/report";
import { runCli } from "./support/cli";

function demoServer(toolCount = 2): McpServer {
  const server = new McpServer({ name: "live-demo", version: "1.2.3" });
  server.registerTool(
    "search_notes",
    { description: "Search notes.", inputSchema: { q: z.string() }, annotations: { readOnlyHint: true } },
    async () => ({ content: [] }),
  );
  server.registerTool(
    "delete_note",
    { description: "Deletes a note. Served text differs.", inputSchema: { id: z.string() } },
    async () => ({ content: [] }),
  );
  for (let i = 2; i < toolCount; i++)
    server.registerTool(`extra_${i}`, { description: `Extra tool ${i} ${"x".repeat(200)}` }, async () => ({ content: [] }));
  server.registerResource("notes-widget", "ui://widget/notes.html", { mimeType: "text/html+skybridge" }, async () => ({ contents: [] }));
  return server;
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

/** Streamable HTTP, stateless: one server and transport per request. Records the Authorization headers it saw. */
async function streamableServer(toolCount = 2): Promise<{ url: string; auth: string[] }> {
  const auth: string[] = [];
  const base = await listen(async (req, res) => {
    auth.push(String(req.headers.authorization ?? ""));
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const server = demoServer(toolCount);
    await server.connect(transport);
    await transport.handleRequest(req, res, JSON.parse(Buffer.concat(chunks).toString("utf8")));
  });
  return { url: `${base}/mcp`, auth };
}

/** The older HTTP+SSE transport only: POST to the endpoint URL fails, GET opens the event stream. */
async function sseOnlyServer(): Promise<string> {
  const transports = new Map<string, SSEServerTransport>();
  const base = await listen(async (req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    if (req.method === "GET" && u.pathname === "/sse") {
      const t = new SSEServerTransport("/messages", res);
      transports.set(t.sessionId, t);
      await demoServer().connect(t);
      return;
    }
    if (req.method === "POST" && u.pathname === "/messages") {
      const t = transports.get(u.searchParams.get("sessionId") ?? "");
      if (t) return void (await t.handlePostMessage(req, res));
    }
    res.writeHead(404).end();
  });
  return `${base}/sse`;
}

describe("live view", () => {
  it("lists tools and resources over Streamable HTTP, with the bearer token", async () => {
    const { url, auth } = await streamableServer();
    const listing = await listLiveTools(url, { allowPrivate: true, token: "test-token-123" });
    expect(listing.transport).toBe("streamable-http");
    expect(listing.server).toEqual({ name: "live-demo", version: "1.2.3" });
    expect(listing.tools.map((t) => [t.name, t.description])).toEqual([
      ["search_notes", "Search notes."],
      ["delete_note", "Deletes a note. Served text differs."],
    ]);
    expect(listing.tools[0]!.annotations).toEqual({ readOnlyHint: true });
    expect(listing.resources).toEqual([{ uri: "ui://widget/notes.html", name: "notes-widget", mimeType: "text/html+skybridge" }]);
    expect(auth.length).toBeGreaterThan(0);
    expect(auth.every((a) => a === "Bearer test-token-123")).toBe(true);
  });

  it("falls back to SSE when Streamable HTTP fails", async () => {
    const url = await sseOnlyServer();
    const listing = await listLiveTools(url, { allowPrivate: true });
    expect(listing.transport).toBe("sse");
    expect(listing.tools.map((t) => t.name)).toEqual(["search_notes", "delete_note"]);
  });

  it("compares with the static manifest: missing on either side and differing descriptions", async () => {
    const { url } = await streamableServer();
    const listing = await listLiveTools(url, { allowPrivate: true });
    const tool = (name: string, description: string): ReportTool => ({
      name,
      title: null,
      description,
      annotations: null,
      securitySchemes: null,
      meta: null,
      location: { path: "s.ts", line: 1 },
      dynamic: [],
    });
    const cmp = compareWithStatic(
      [tool("search_notes", "Search notes."), tool("delete_note", "Deletes a note."), tool("share_note", "Shares.")],
      listing.tools,
    );
    expect(cmp.onlyLive).toEqual([]);
    expect(cmp.onlyStatic).toEqual(["share_note"]);
    expect(cmp.matching).toBe(1);
    expect(cmp.differing.map((d) => d.name)).toEqual(["delete_note"]);
    expect(cmp.differing[0]!.parts.filter((p) => p.added).map((p) => p.value.trim())).toEqual(["Served text differs."]);
  });

  it("refuses private and loopback addresses unless allowed", async () => {
    const { url, auth } = await streamableServer();
    await expect(listLiveTools(url, { allowPrivate: false })).rejects.toThrow(/private or loopback/);
    await expect(listLiveTools(url.replace("127.0.0.1", "localhost"), { allowPrivate: false })).rejects.toThrow(/private or loopback/);
    expect(auth).toEqual([]);
  });

  it("never contacts metadata or link-local addresses, nor non-http URLs, even when private addresses are allowed", () => {
    for (const bad of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fe80::1]/mcp",
      "http://[::ffff:169.254.169.254]/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://0.0.0.0:8080/mcp",
      "file:///etc/passwd",
      "gopher://example.com/",
      "https://user:pass@example.com/mcp",
      "not a url",
    ]) {
      expect(() => checkLiveUrl(bad, { allowPrivate: true }), bad).toThrow();
    }
    expect(checkLiveUrl("https://mcp.example.com/mcp", { allowPrivate: false }).hostname).toBe("mcp.example.com");
    expect(() => checkLiveUrl("http://10.1.2.3/mcp", { allowPrivate: false })).toThrow(/private/);
    expect(() => checkLiveUrl("http://[::1]:3000/mcp", { allowPrivate: false })).toThrow(/private/);
  });

  it("checks what a host name resolves to at connect time (DNS rebinding)", async () => {
    const result = await new Promise<{ code?: string; message: string } | null>((resolve) =>
      guardedLookup({ allowPrivate: false })("localhost", {}, (err) => resolve(err as never)),
    );
    expect(result?.code).toBe("ERR_LIVE_URL_BLOCKED");
    expect(result?.message).toMatch(/resolves to (?:127\.0\.0\.1|::1)/);
  });

  it("caps response sizes", async () => {
    const { url } = await streamableServer(200);
    await expect(listLiveTools(url, { allowPrivate: true, maxResponseBytes: 4000 })).rejects.toThrow(/more than \d+ KB/);
  });

  it("times out on a server that never answers", async () => {
    const base = await listen(() => undefined);
    const started = Date.now();
    await expect(listLiveTools(`${base}/mcp`, { allowPrivate: true, timeoutMs: 500 })).rejects.toThrow(/did not answer within/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("launch-review tools <url> --source compares the served tools with the code and exits 1 on differences", async () => {
    const { url } = await streamableServer();
    const result = await runCli(["tools", url, "--source", "examples/demo-connector", "--format", "json"], {
      LAUNCH_REVIEW_LIVE_TOKEN: "cli-token",
    });
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout) as {
      transport: string;
      comparison: { onlyStatic: string[]; onlyLive: string[]; differing: Array<{ name: string }> };
    };
    expect(out.transport).toBe("streamable-http");
    expect(out.comparison.onlyStatic).toEqual(["import_from_url", "share_note"]);
    expect(out.comparison.differing.map((d) => d.name)).toEqual(["search_notes", "delete_note"]);
  }, 60_000);
});
